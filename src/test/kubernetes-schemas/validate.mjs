// Validates Kubernetes objects against the OpenAPI schemas that kubernetes-models compiled from
// Kubernetes v1.33 (and the prometheus-operator CRDs for ServiceMonitor), offline.
// Usage: node validate.mjs objects.json  — a JSON array of {source, object}; prints a JSON array of
// {source, kind, name, errors} and exits 1 when any object has errors.
import { readFileSync } from "node:fs";

const PACKAGE_BY_GROUP = { "monitoring.coreos.com": "@kubernetes-models/prometheus-operator" };

async function modelOf(apiVersion, kind) {
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  const pkg = PACKAGE_BY_GROUP[group] ?? "kubernetes-models";
  try {
    const module = await import(`${pkg}/${apiVersion}/${kind}`);
    return module[kind];
  } catch {
    return undefined;
  }
}

// The compiled schema validators read every property their schema declares; a property nobody read
// is a field the API server does not know (helm install and kubectl --validate=strict refuse those).
function recordingReads(value, path, read) {
  if (value === null || typeof value !== "object") {
    return value;
  }
  return new Proxy(value, {
    get(target, key, receiver) {
      const child = Reflect.get(target, key, receiver);
      if (typeof key !== "string" || !Object.prototype.hasOwnProperty.call(target, key)) {
        return child;
      }
      const childPath = `${path}/${key}`;
      read.add(childPath);
      return recordingReads(child, childPath, read);
    },
  });
}

function unreadFields(value, path, read, found) {
  if (value === null || typeof value !== "object") {
    return;
  }
  for (const key of Object.keys(value)) {
    const childPath = `${path}/${key}`;
    if (!read.has(childPath)) {
      found.push(`${childPath || "/"} is not a field of this kind`);
    } else {
      unreadFields(value[key], childPath, read, found);
    }
  }
}

async function validate(object) {
  const apiVersion = object?.apiVersion;
  const kind = object?.kind;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    return ["apiVersion and kind are required"];
  }
  const Model = await modelOf(apiVersion, kind);
  if (!Model || typeof Model.prototype.validate !== "function") {
    return [`no schema for ${apiVersion} ${kind}`];
  }
  const model = new Model(object);
  const plain = JSON.parse(JSON.stringify(model));
  const read = new Set();
  const errors = [];
  try {
    Model.prototype.validate.call(recordingReads(plain, "", read));
  } catch (e) {
    const details = Array.isArray(e.errors) ? e.errors.map((err) => `${err.instancePath || "/"} ${err.message}`) : [];
    errors.push(...(details.length > 0 ? details : [String(e.message)]));
  }
  unreadFields(plain, "", read, errors);
  return errors;
}

const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
const report = [];
for (const { source, object } of input) {
  report.push({
    source,
    kind: object?.kind ?? null,
    name: object?.metadata?.name ?? null,
    errors: await validate(object),
  });
}
process.stdout.write(JSON.stringify(report, null, 1) + "\n");
process.exitCode = report.some((r) => r.errors.length > 0) ? 1 : 0;
