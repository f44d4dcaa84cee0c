// The hosts the WebAssembly CLI runs against: `globalThis.bdpayHost` answers its calls for
// files, standard streams and the environment (see src/host.rs). Errors are thrown as strings
// that start with Node's error code (`ENOENT: ...`), which the Rust side maps to io::ErrorKind.

/** A host on Node's real file system and streams: what `npx bdpay-doctor` uses. */
export function nodeHost(fs, proc) {
  const wrap = (f) => (...a) => {
    try {
      return f(...a);
    } catch (e) {
      throw `${e && e.code ? e.code : "EIO"}: ${e && e.message ? e.message : e}`;
    }
  };
  let stdin = null;
  return {
    stat: wrap((p) => {
      const s = fs.statSync(p);
      const mode = proc.platform === "win32" ? -1 : s.mode & 0o777;
      return new Float64Array([s.isDirectory() ? 1 : 0, s.size, mode]);
    }),
    readFile: wrap((p, limit) => {
      const fd = fs.openSync(p, "r");
      try {
        const size = Math.min(fs.fstatSync(fd).size, limit);
        const buf = Buffer.alloc(size);
        let off = 0;
        while (off < size) {
          const n = fs.readSync(fd, buf, off, size - off, off);
          if (n === 0) break;
          off += n;
        }
        return buf.subarray(0, off);
      } finally {
        fs.closeSync(fd);
      }
    }),
    readStdin: wrap((limit) => {
      if (stdin === null) stdin = fs.readFileSync(0);
      return stdin.subarray(0, limit);
    }),
    writeFile: wrap((p, bytes, mode) => fs.writeFileSync(p, bytes, { mode })),
    mkdirAll: wrap((p) => fs.mkdirSync(p, { recursive: true })),
    realPath: wrap((p) => fs.realpathSync(p)),
    readDir: wrap((p) => fs.readdirSync(p)),
    env: (v) => proc.env[v],
    isTerminal: (fd) =>
      Boolean(fd === 0 ? proc.stdin.isTTY : fd === 1 ? proc.stdout.isTTY : proc.stderr.isTTY),
    columns: () => proc.stdout.columns || proc.stderr.columns || undefined,
    write: (fd, bytes) => {
      // A pipe may be non-blocking: retry until every byte is written.
      let off = 0;
      while (off < bytes.length) {
        try {
          off += fs.writeSync(fd === 2 ? 2 : 1, bytes, off, bytes.length - off);
        } catch (e) {
          if (e.code === "EAGAIN") continue;
          if (e.code === "EPIPE") return;
          throw e;
        }
      }
    },
  };
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * A host with no file system: the files given by name (strings or bytes), standard input, and
 * captured output. The JS API and the browser page use it; nothing is read from or written to
 * disk, and `written` collects files the command writes.
 */
export function memoryHost({ files = {}, stdin = "", env = {} } = {}) {
  const bytes = (v) => (typeof v === "string" ? enc.encode(v) : new Uint8Array(v));
  const store = new Map(Object.entries(files).map(([k, v]) => [norm(k), bytes(v)]));
  const out = [];
  const err = [];
  const written = {};
  const missing = (p) => `ENOENT: no such file: ${p}`;
  const dirs = () => {
    const set = new Set(["."]);
    for (const k of store.keys()) {
      const parts = k.split("/");
      for (let i = 1; i < parts.length; i++) set.add(parts.slice(0, i).join("/"));
    }
    return set;
  };
  return {
    stat(p) {
      const k = norm(p);
      if (store.has(k)) return new Float64Array([0, store.get(k).length, 0o600]);
      if (dirs().has(k)) return new Float64Array([1, 0, 0o700]);
      throw missing(p);
    },
    readFile(p, limit) {
      const k = norm(p);
      if (!store.has(k)) throw dirs().has(k) ? `EISDIR: is a directory: ${p}` : missing(p);
      return store.get(k).subarray(0, limit);
    },
    readStdin: (limit) => bytes(stdin).subarray(0, limit),
    writeFile(p, b) {
      written[norm(p)] = new Uint8Array(b);
    },
    mkdirAll() {},
    realPath(p) {
      const k = norm(p);
      if (store.has(k) || dirs().has(k)) return k;
      throw missing(p);
    },
    readDir(p) {
      const k = norm(p);
      const prefix = k === "." ? "" : `${k}/`;
      const names = new Set();
      for (const f of store.keys()) {
        if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split("/")[0]);
      }
      if (!names.size && !dirs().has(k)) throw missing(p);
      return [...names];
    },
    env: (v) => env[v],
    isTerminal: () => false,
    columns: () => undefined,
    write: (fd, b) => (fd === 2 ? err : out).push(dec.decode(b)),
    result: () => ({ stdout: out.join(""), stderr: err.join(""), written }),
  };
}

function norm(p) {
  const parts = [];
  for (const s of String(p).replace(/\\/g, "/").split("/")) {
    if (s === "" || s === ".") continue;
    if (s === "..") parts.pop();
    else parts.push(s);
  }
  return parts.length ? parts.join("/") : ".";
}
