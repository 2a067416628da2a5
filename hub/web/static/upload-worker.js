// The connector in the data officer's browser: Pyodide (CPython in WebAssembly) with the
// connector's own code, both served by the hub. The files, the mapping and the linkage secret
// come from the page by postMessage and stay in this worker's memory; what leaves is what the
// connector makes of them (connectors/browser.py): chunks of tokens and attributes, sent to the
// hub's upload routes with the session's CSRF token.
import { loadPyodide } from "./runtime/pyodide/pyodide.mjs";
import { ecb } from "./runtime/noble-ciphers/aes.js";

const RUNTIME = new URL("runtime/", import.meta.url);
const WORK = "/home/pyodide/work";
let python = null;   // the Pyodide interpreter, once loaded
let browser = null;  // the module connectors.browser
let checked = null;  // the PageUpload of the last check

// privacy/ecb.py encrypts through this: AES-128 in ECB mode, whole blocks, no padding. A noble
// cipher object encrypts once (it refuses a second call, a guard meant for modes with a nonce), so
// each call makes its own; ECB keeps nothing from one call to the next.
globalThis.hubConnectorAes = {
  ecb(key) {
    const copy = Uint8Array.from(key);
    return { encrypt: (data) => ecb(copy, { disablePadding: true }).encrypt(data) };
  },
};

function say(type, fields) { postMessage(Object.assign({ type }, fields)); }
function progress(text, done, total) { say("progress", { text, done, total }); }

async function fetched(url, integrity) {
  const response = await fetch(url, { integrity, credentials: "same-origin" });
  if (!response.ok) throw new Error(`the hub answered ${response.status} for ${url}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function load(connectorIntegrity, manifestIntegrity) {
  if (python) return;
  progress("loading Python (Pyodide) in this browser…");
  python = await loadPyodide({ indexURL: new URL("pyodide/", RUNTIME).href });
  // The page names the manifest's digest, the manifest each library's: all are checked by the browser.
  const manifest = JSON.parse(new TextDecoder().decode(await fetched(new URL("manifest.json", RUNTIME), manifestIntegrity)));
  const wheels = Object.keys(manifest.files).filter((name) => name.startsWith("wheels/"));
  const total = wheels.reduce((sum, name) => sum + manifest.files[name].bytes, 0);
  const sitePackages = python.runPython("import site; site.getsitepackages()[0]");
  let done = 0;
  for (const name of wheels) {
    progress("loading the connector's libraries…", done, total);
    const data = await fetched(new URL(name, RUNTIME), manifest.files[name].integrity);
    if (name.endsWith(".whl")) python.unpackArchive(data, "wheel");
    else python.unpackArchive(data, "zip", { extractDir: sitePackages });
    done += manifest.files[name].bytes;
  }
  progress("loading the connector…", total, total);
  python.unpackArchive(await fetched("/partner/upload/connector.zip", connectorIntegrity), "zip",
                       { extractDir: "/home/pyodide/connector" });
  python.runPython("import sys; sys.path.insert(0, '/home/pyodide/connector')");
  python.FS.mkdirTree(WORK);
  browser = python.pyimport("connectors.browser");
}

function written(file) {
  if (!file) return null;
  const path = `${WORK}/${file.name.replace(/[\/\\]/g, "_") || "file"}`;
  python.FS.writeFile(path, new Uint8Array(file.bytes));
  return path;
}

async function hub(method, path, csrf, body, contentType = "application/json") {
  const response = await fetch(path, {
    method, body, credentials: "same-origin",
    headers: { "X-CSRF-Token": csrf, "Content-Type": contentType },
  });
  let answer = {};
  try { answer = await response.json(); } catch (error) { answer = {}; }
  if (!response.ok) {
    const failure = new Error(answer.detail || `the hub answered ${response.status}`);
    failure.hub = answer;
    failure.status = response.status;
    throw failure;
  }
  return answer;
}

async function send(message) {
  const csrf = message.csrf;
  const opened = await hub("POST", "/partner/upload/submissions", csrf, checked.create_body());
  const base = `/partner/upload/submissions/${opened.id}`;
  const chunks = checked.bodies.length;
  try {
    for (let seq = 1; seq <= chunks; seq++) {
      progress("sending chunks of tokens and attributes…", seq - 1, chunks);
      const proxy = checked.chunk(seq);
      const body = proxy.toJs();
      proxy.destroy();
      await hub("PUT", `${base}/chunks/${seq}`, csrf, body);
    }
    progress("completing the submission…", chunks, chunks);
    const receipt = await hub("POST", `${base}/complete`, csrf,
                              JSON.stringify({ expected_chunks: chunks, random_pairs: null, replace: message.replace }));
    return { receipt, problems: JSON.parse(checked.receipt_problems(JSON.stringify(receipt.errors || []))) };
  } catch (error) {
    let left = "";
    try {
      await hub("POST", `${base}/abandon`, csrf, "");
      left = `; the submission ${opened.id} opened on the hub for this upload was abandoned: nothing of it is kept there`;
    } catch (ignored) {
      left = `; the submission ${opened.id} stays open on the hub until it expires (it counts nowhere)`;
    }
    error.message += left;
    throw error;
  }
}

onmessage = async (event) => {
  const message = event.data;
  try {
    await load(message.connectorIntegrity, message.manifestIntegrity);
    if (message.type === "propose") {
      progress("reading the file's header and values…");
      say("proposed", { answer: JSON.parse(browser.propose_mapping(written(message.file))) });
    } else if (message.type === "check") {
      if (checked) checked.destroy();
      progress("reading, checking and tokenising the rows…");
      const report = (done, total, unit) => progress(
        unit === "B" ? "reading, checking and tokenising the rows…" : "checking and tokenising the rows…", done, total);
      checked = browser.PageUpload(written(message.file), message.period, written(message.mapping), message.secret,
                                   message.onInvalid, message.today, report, message.secretVersion);
      say("checked", { summary: JSON.parse(checked.summary()) });
    } else if (message.type === "send") {
      say("sent", await send(message));
    }
  } catch (error) {
    // A Python error's message is its whole traceback: its last line says what went wrong.
    const detail = error.hub ? error.message : String(error.message).trim().split("\n").pop();
    say("failure", { detail, hub: error.hub || null });
  }
};
