// Packages the extension as per-platform VSIX files with vsce and prints each one's size.
//
//   node scripts/package.mjs                    linux-x64 -> <name>-<version>.vsix (what the e2e test installs)
//   node scripts/package.mjs --target T [...]   T in the table below -> <name>-<version>-<T>.vsix
//                                               (linux-x64 always keeps the plain name)
//   node scripts/package.mjs --all              every target
//
// The JavaScript is bundled by esbuild; only node-llama-cpp stays outside the
// bundle (native binaries, ESM). A plain npm install pulls node-llama-cpp's
// prebuilt binaries for every platform and GPU (732 MB), so each VSIX is
// packed from a staging folder holding the bundles, the grammars, the bundled
// model, node-llama-cpp's JavaScript and runtime dependencies, and exactly
// one binary package: the CPU build for that platform (Metal is part of the
// macOS arm64 build). CUDA and Vulkan builds are not shipped; see
// ARCHITECTURE.md ("GPU support") for why.
// Binary packages this machine's npm install lacks (other OSes) are fetched
// once with `npm pack` into node_modules/.cache/cobol-assist-platforms/.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const runtimePackage = 'node-llama-cpp';

/** vsce target -> node-llama-cpp's prebuilt binary package for it. */
export const binaryPackages = {
  'linux-x64': '@node-llama-cpp/linux-x64',
  'linux-arm64': '@node-llama-cpp/linux-arm64',
  'linux-armhf': '@node-llama-cpp/linux-armv7l',
  'darwin-arm64': '@node-llama-cpp/mac-arm64-metal',
  'darwin-x64': '@node-llama-cpp/mac-x64',
  'win32-x64': '@node-llama-cpp/win-x64',
  'win32-arm64': '@node-llama-cpp/win-arm64',
};
const defaultTarget = 'linux-x64';

/** Files of the extension itself that ship (relative to the repository). */
const extensionFiles = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist/extension.js', 'dist/server.js', 'dist/agentPanel.js'];
const bundledModels = ['models/bundled/cobol-slm-small.gguf', 'models/router.json'];
/** Inside node_modules: what no runtime needs (llama.cpp's and C headers' sources, TypeScript, maps, docs, tests, the CLI's templates). */
const strippedFromModules = [
  /\.map$/, /\.ts$/, /\.tsbuildinfo$/, /(^|\/)(README|CHANGELOG|HISTORY)(\.md)?$/i,
  /\.(c|cc|cpp|h|hpp|gyp|gypi)$/, /\/test\//,
  /^node-llama-cpp\/llama\/(?!binariesGithubRelease\.json$|llama\.cpp\.info\.json$|package\.json$)/,
  /^node-llama-cpp\/templates\//,
  /^node-llama-cpp\/bins\//,
];

function parseTargets(argv) {
  if (argv.includes('--all')) return Object.keys(binaryPackages);
  const targets = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--target') targets.push(argv[++i]);
    else if (argv[i].startsWith('--target=')) targets.push(argv[i].slice('--target='.length));
  }
  for (const target of targets) {
    if (!(target in binaryPackages)) throw new Error(`Unknown target "${target}"; known: ${Object.keys(binaryPackages).join(', ')}`);
  }
  return targets.length ? targets : [defaultTarget];
}

/** Node's resolution from `fromDir`: the folder of package `name`. */
function resolvePackage(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === dirname(dir)) return undefined;
  }
}

/** Folders of `start` and every package it needs at run time (dependencies; optional ones only when installed). */
function runtimeClosure(start) {
  const found = new Set();
  const visit = (dir) => {
    if (found.has(dir)) return;
    found.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      const at = resolvePackage(dep, dir);
      if (!at) throw new Error(`${pkg.name} needs ${dep}, which is not installed: run npm ci`);
      visit(at);
    }
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) {
      if (dep.startsWith('@node-llama-cpp/')) continue; // the platform binaries: chosen per target
      const at = resolvePackage(dep, dir);
      if (at) visit(at);
    }
  };
  visit(start);
  return [...found];
}

/** The target's binary package folder: from node_modules, else fetched once with npm pack. */
function binaryPackageFolder(target) {
  const name = binaryPackages[target];
  const installed = resolvePackage(name, join(root, 'node_modules', runtimePackage));
  if (installed) return installed;
  const version = JSON.parse(readFileSync(join(root, 'node_modules', runtimePackage, 'package.json'), 'utf8')).version;
  const cache = join(root, 'node_modules', '.cache', 'cobol-assist-platforms', `${name.replace('/', '+')}@${version}`);
  if (!existsSync(join(cache, 'package', 'package.json'))) {
    mkdirSync(cache, { recursive: true });
    console.log(`Fetching ${name}@${version} (not installed on this platform) with npm pack`);
    const tarball = execFileSync('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', cache], { cwd: cache, encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['-xzf', join(cache, tarball), '-C', cache]);
    rmSync(join(cache, tarball));
  }
  return join(cache, 'package');
}

function copyTree(from, to, skip) {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules') continue; // nested packages are copied as packages of their own
      copyTree(source, target, skip);
    } else if (!skip(source)) {
      mkdirSync(dirname(target), { recursive: true });
      cpSync(source, target, { dereference: true });
    }
  }
}

function stage(target) {
  const dir = join(tmpdir(), `cobol-assist-package-${process.pid}`, target);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of [...extensionFiles, ...bundledModels]) {
    if (!existsSync(join(root, file))) {
      if (file.startsWith('models/') || file === 'CHANGELOG.md') {
        console.warn(`warning: ${file} does not exist yet; the VSIX ships without it`);
        continue;
      }
      throw new Error(`${file} is missing`);
    }
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(root, file), join(dir, file));
  }
  for (const file of readdirSync(join(root, 'grammars')).filter((f) => f.endsWith('.json'))) {
    cpSync(join(root, 'grammars', file), join(dir, 'grammars', file), { recursive: true });
  }
  // The Getting Started walkthrough's pages and its sample program.
  for (const file of readdirSync(join(root, 'walkthrough'))) {
    cpSync(join(root, 'walkthrough', file), join(dir, 'walkthrough', file), { recursive: true });
  }
  // The shipped manifest: no build scripts (the bundles are built), only the runtime dependency.
  const shipped = { ...manifest, dependencies: { [runtimePackage]: manifest.dependencies[runtimePackage] } };
  delete shipped.devDependencies;
  shipped.scripts = Object.fromEntries(Object.entries(manifest.scripts ?? {}).filter(([key]) => key !== 'vscode:prepublish'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify(shipped, null, 2) + '\n');

  const modules = join(root, 'node_modules');
  const packages = runtimeClosure(join(modules, runtimePackage)).map((from) => [from, join(dir, 'node_modules', relative(modules, from))]);
  packages.push([binaryPackageFolder(target), join(dir, 'node_modules', binaryPackages[target])]);
  for (const [from, to] of packages) {
    const base = relative(join(dir, 'node_modules'), to).replaceAll('\\', '/');
    copyTree(from, to, (file) => {
      const inModules = `${base}/${relative(from, file).replaceAll('\\', '/')}`;
      return strippedFromModules.some((pattern) => pattern.test(inModules));
    });
  }
  writeFileSync(join(dir, '.vscodeignore'), '# Everything staged ships.\n');
  return dir;
}

function folderBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}

const targets = parseTargets(process.argv.slice(2));
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
const sizes = [];
for (const target of targets) {
  const dir = stage(target);
  const out = join(root, target === defaultTarget
    ? `${manifest.name}-${manifest.version}.vsix`
    : `${manifest.name}-${manifest.version}-${target}.vsix`);
  execFileSync(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--target', target, '--allow-missing-repository', '--skip-license', '--out', out], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
  sizes.push({ target, out: relative(root, out), bytes: statSync(out).size, unpacked: folderBytes(dir) });
  rmSync(dir, { recursive: true, force: true });
  // On the machine the VSIX is for, prove it loads llama.cpp (and the bundled model) from its own files.
  if (target === `${process.platform === 'win32' ? 'win32' : process.platform}-${process.arch === 'arm' ? 'armhf' : process.arch}`) {
    execFileSync(process.execPath, [join(root, 'scripts', 'verify-vsix.mjs'), out], { stdio: 'inherit' });
  }
}
for (const { target, out, bytes, unpacked } of sizes) {
  console.log(`VSIX ${target}: ${out} ${mb(bytes)} (${bytes} bytes; ${mb(unpacked)} unpacked)`);
}
rmSync(join(tmpdir(), `cobol-assist-package-${process.pid}`), { recursive: true, force: true });
