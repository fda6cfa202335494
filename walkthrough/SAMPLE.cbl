000100***************************************************************** SAMPLE  
000200* SAMPLE: a first look at COBOL Assist. Hover a data name, type * SAMPLE  
000300* a statement in Area B, press Enter, or Ctrl+/ on a line.      * SAMPLE  
000400***************************************************************** SAMPLE  
000500 IDENTIFICATION DIVISION.                                         SAMPLE  
000600 PROGRAM-ID. SAMPLE.                                              SAMPLE  
000700 DATA DIVISION.                                                   SAMPLE  
000800 WORKING-STORAGE SECTION.                                         SAMPLE  
000900 01  WS-ACCOUNT.                                                  SAMPLE  
001000     05  WS-ACCOUNT-ID           PIC 9(8).                        SAMPLE  
001100     05  WS-ACCOUNT-STATUS       PIC X.                           SAMPLE  
001200         88  WS-ACCOUNT-OPEN     VALUE 'O'.                       SAMPLE  
001300         88  WS-ACCOUNT-CLOSED   VALUE 'C'.                       SAMPLE  
001400     05  WS-BALANCE              PIC S9(7)V99 COMP-3.             SAMPLE  
001500     05  WS-DAYS-OVERDUE         PIC 9(3).                        SAMPLE  
001600 01  WS-INTEREST-RATE            PIC 9V9(4) VALUE 0.0125.         SAMPLE  
001700 01  WS-INTEREST                 PIC S9(7)V99 COMP-3.             SAMPLE  
001800 PROCEDURE DIVISION.                                              SAMPLE  
001900 0000-MAIN.                                                       SAMPLE  
002000     MOVE 12345678 TO WS-ACCOUNT-ID                               SAMPLE  
002100     SET WS-ACCOUNT-OPEN TO TRUE                                  SAMPLE  
002200     MOVE 1500.00 TO WS-BALANCE                                   SAMPLE  
002300     MOVE 45 TO WS-DAYS-OVERDUE                                   SAMPLE  
002400     PERFORM 1000-CHARGE-INTEREST                                 SAMPLE  
002500     DISPLAY 'INTEREST: ' WS-INTEREST                             SAMPLE  
002600     STOP RUN.                                                    SAMPLE  
002700 1000-CHARGE-INTEREST.                                            SAMPLE  
002800     IF WS-ACCOUNT-OPEN AND WS-DAYS-OVERDUE > 30                  SAMPLE  
002900         COMPUTE WS-INTEREST ROUNDED =                            SAMPLE  
003000             WS-BALANCE * WS-INTEREST-RATE                        SAMPLE  
003100     ELSE                                                         SAMPLE  
003200         MOVE ZERO TO WS-INTEREST                                 SAMPLE  
003300     END-IF.                                                      SAMPLE  
