/** The agent's event and payload types live with its messages (`server/agentProtocol.ts`), shared with the extension. */
export type { AgentDecision, AgentEvent, Goal, PlanStepView, PlanView, PreferenceNote, Privilege, TaskState, TaskSummary } from '../agentProtocol';
export { terminalStates } from '../agentProtocol';
