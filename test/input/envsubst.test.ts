import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasPlaceholder, parseVarFlag, parseVarsFile, substitute, substituteManifests } from "../../src/input/envsubst.ts";
import { loadVars } from "../../src/input/read.ts";

const vars = (o: Record<string, string>) => new Map(Object.entries(o));

function vf(text: string) {
  const out = parseVarsFile(text, "vars.env");
  assert.ok(out.ok, out.ok ? "" : `${out.error.line}: ${out.error.message}`);
  return Object.fromEntries(out.value);
}

function vfErr(text: string) {
  const out = parseVarsFile(text, "vars.yaml");
  assert.ok(!out.ok, "expected an error");
  assert.equal(out.error.source, "vars.yaml");
  return out.error;
}

describe("substitute (Flux post-build semantics)", () => {
  it("fills known variables", () => {
    const r = substitute("name: ${APP}-postgres\n", vars({ APP: "shop" }));
    assert.equal(r.text, "name: shop-postgres\n");
    assert.deepEqual(r.unresolved, []);
  });

  it("leaves unknown variables as written (never the empty string) and lists each once, in order", () => {
    const r = substitute("a: ${B}\nb: ${A}-${B}\n", vars({}));
    assert.equal(r.text, "a: ${B}\nb: ${A}-${B}\n");
    assert.deepEqual(r.unresolved, ["B", "A"]);
  });

  it("applies defaults for unknown and for empty variables, but not over a value", () => {
    const r = substitute("${CLUSTER_NAME:=default} ${X:-dash} ${Y=eq} ${EMPTY:=e} ${APP:=x}", vars({ EMPTY: "", APP: "shop" }));
    assert.equal(r.text, "default dash eq e shop");
    assert.deepEqual(r.unresolved, []);
  });

  it("a known empty variable without default is empty (the user defined it)", () => {
    assert.equal(substitute("[${E}]", vars({ E: "" })).text, "[]");
  });

  it("`${var-default}` is not a default in drone/envsubst: `-` is part of the name", () => {
    const r = substitute("${APP-default}", vars({ APP: "shop" }));
    assert.equal(r.text, "${APP-default}");
    assert.deepEqual(r.unresolved, ["APP-default"]);
  });

  it("`$$` escapes a dollar: `$${VAR}` is the literal `${VAR}`; a bare `$VAR` is text", () => {
    const r = substitute("$${APP} $$ $APP ${APP} $", vars({ APP: "shop" }));
    assert.equal(r.text, "${APP} $ $APP shop $");
  });

  it("defaults may nest; an unknown variable inside a needed default keeps the whole expression", () => {
    const v = vars({ APP: "shop" });
    assert.equal(substitute("${NAME:=${APP}-pg}", v).text, "shop-pg");
    const r = substitute("${NAME:=${OTHER}}", v);
    assert.equal(r.text, "${NAME:=${OTHER}}");
    assert.deepEqual(r.unresolved, ["OTHER"]);
  });

  it("string functions of drone/envsubst", () => {
    const v = vars({ APP: "shop-db", UP: "Shop" });
    const cases: [string, string][] = [
      ["${APP^^}", "SHOP-DB"],
      ["${APP^}", "Shop-db"],
      ["${UP,,}", "shop"],
      ["${UP,}", "shop"],
      ["${#APP}", "7"],
      ["${APP:5}", "db"],
      ["${APP:0:4}", "shop"],
      ["${APP:-2}", "shop-db"], // `:-` is a default, not a negative offset
      ["${APP/-/_}", "shop_db"],
      ["${APP//o/0}", "sh0p-db"],
      ["${APP/#shop/cart}", "cart-db"],
      ["${APP/%db/pg}", "shop-pg"],
      ["${APP#*-}", "db"],
      ["${APP%-*}", "shop"],
      ["${APP##s*o}", "p-db"],
      ["${APP%%o*}", "sh"],
    ];
    for (const [expr, want] of cases) assert.equal(substitute(expr, v).text, want, expr);
  });

  it("a function of an unknown variable stays as written", () => {
    const r = substitute("${APP^^}", vars({}));
    assert.equal(r.text, "${APP^^}");
    assert.deepEqual(r.unresolved, ["APP"]);
  });

  it("malformed `${...}` (Flux: bad substitution) is left as written and reported with its line", () => {
    const r = substitute('a: 1\nscript: echo "${arr[@]}"\nb: ${ spaced }\nc: ${OPEN\n', vars({ OPEN: "x" }));
    assert.equal(r.text, 'a: 1\nscript: echo "${arr[@]}"\nb: ${ spaced }\nc: ${OPEN\n');
    assert.deepEqual(
      r.malformed.map((m) => [m.line, m.expression]),
      [
        [2, "${arr[@]}"],
        [3, "${ spaced }"],
        [4, "${OPEN"],
      ],
    );
  });

  it("values lose their newlines, as in Flux, so lines stay where they were", () => {
    const text = "a: ${MULTI}\nb: 2\n";
    const r = substitute(text, vars({ MULTI: "x\ny\n" }));
    assert.equal(r.text, "a: xy\nb: 2\n");
    assert.equal(r.text.split("\n").length, text.split("\n").length);
  });
});

describe("substituteManifests", () => {
  it("skips documents labelled or annotated kustomize.toolkit.fluxcd.io/substitute: disabled", () => {
    const text = [
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${APP}\n",
      "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${APP}-raw\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\n",
      "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${APP}-l\n  labels:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\n",
      "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${APP}-last\ndata: {x: '${BAD'}\n",
    ].join("");
    const r = substituteManifests(text, vars({ APP: "shop" }));
    assert.match(r.text, /name: shop\n/);
    assert.match(r.text, /name: \$\{APP\}-raw\n/);
    assert.match(r.text, /name: \$\{APP\}-l\n/);
    assert.match(r.text, /name: shop-last\n/);
    // Lines of later documents are counted from the start of the text.
    assert.deepEqual(r.malformed.map((m) => m.line), [text.split("\n").findIndex((l) => l.includes("${BAD")) + 1]);
  });

  it("is plain substitute when nothing opts out", () => {
    const text = "a: ${A}\n---\nb: ${B:=2}\n";
    assert.deepEqual(substituteManifests(text, vars({ A: "1" })), substitute(text, vars({ A: "1" })));
  });
});

describe("hasPlaceholder", () => {
  it("is true for a value holding ${...}", () => {
    assert.equal(hasPlaceholder("${APP}-postgres"), true);
    assert.equal(hasPlaceholder("pre-${X:=y}"), true);
    assert.equal(hasPlaceholder("shop-postgres"), false);
    assert.equal(hasPlaceholder("$APP"), false);
  });
});

describe("parseVarFlag", () => {
  it("splits at the first =", () => {
    assert.deepEqual(parseVarFlag("APP=shop"), { ok: true, value: ["APP", "shop"] });
    assert.deepEqual(parseVarFlag("URL=a=b"), { ok: true, value: ["URL", "a=b"] });
    assert.deepEqual(parseVarFlag("EMPTY="), { ok: true, value: ["EMPTY", ""] });
  });

  it("refuses a missing = and names Flux would refuse", () => {
    for (const bad of ["APP", "=x", "my-var=x", "1A=x"]) {
      const out = parseVarFlag(bad);
      assert.ok(!out.ok, bad);
      assert.equal(out.error.source, "--var");
    }
    const out = parseVarFlag("my-var=x");
    assert.ok(!out.ok);
    assert.match(out.error.message, /'my-var' var name is invalid/);
  });
});

describe("parseVarsFile", () => {
  it("KEY=VALUE lines with comments, export, quotes", () => {
    const v = vf('# cluster vars\nAPP=shop\n\nexport NS=databases\nQUOTED="a b" # c\nSINGLE=\'x#y\'\nINLINE=v # comment\nEMPTY=\n');
    assert.deepEqual(v, { APP: "shop", NS: "databases", QUOTED: "a b", SINGLE: "x#y", INLINE: "v", EMPTY: "" });
  });

  it("a bad KEY=VALUE line is an error with its line", () => {
    const out = parseVarsFile("APP=shop\nnot a pair\n", "vars.env");
    assert.ok(!out.ok);
    assert.equal(out.error.line, 2);
    const name = parseVarsFile("APP=shop\nmy-var=1\n", "vars.env");
    assert.ok(!name.ok);
    assert.equal(name.error.line, 2);
    assert.match(name.error.message, /var name is invalid/);
  });

  it("a YAML map: scalars as written (failsafe), later keys win", () => {
    assert.deepEqual(vf("APP: shop\nREPLICAS: 03\nENABLED: true\nEMPTY:\n"), { APP: "shop", REPLICAS: "03", ENABLED: "true", EMPTY: "" });
    assert.deepEqual(vf('{"APP": "shop", "N": 1}'), { APP: "shop", N: "1" });
  });

  it("a ConfigMap's data (Flux substituteFrom)", () => {
    const v = vf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-vars\ndata:\n  CLUSTER_NAME: prod\n  REGION: eu-1\n");
    assert.deepEqual(v, { CLUSTER_NAME: "prod", REGION: "eu-1" });
  });

  it("a Secret's data is base64-decoded; stringData overrides it, like the API server", () => {
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    const v = vf(
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  BUCKET: ${b64("s3://backups")}\n  TOKEN: ${b64("old")}\nstringData:\n  TOKEN: new\n`,
    );
    assert.deepEqual(v, { BUCKET: "s3://backups", TOKEN: "new" });
  });

  it("several documents: later ones override earlier ones", () => {
    const v = vf("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {A: '1', B: '1'}\n---\nB: '2'\n");
    assert.deepEqual(v, { A: "1", B: "2" });
  });

  it("a Flux Kustomization's spec.postBuild.substitute", () => {
    const v = vf(
      "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps}\nspec:\n  postBuild:\n    substitute:\n      APP: shop\n",
    );
    assert.deepEqual(v, { APP: "shop" });
  });

  it("errors: bad base64, invalid names, nested values, other kinds, YAML syntax (with line)", () => {
    assert.match(vfErr("apiVersion: v1\nkind: Secret\ndata:\n  A: '%%%'\n").message, /not base64/);
    assert.match(vfErr("apiVersion: v1\nkind: ConfigMap\ndata:\n  my-key: x\n").message, /'my-key' var name is invalid/);
    assert.match(vfErr("A:\n  nested: map\n").message, /expected a string/);
    assert.match(vfErr("apiVersion: apps/v1\nkind: Deployment\n").message, /Deployment holds no variables/);
    assert.match(vfErr("- a\n- b\n").message, /expected a map/);
    const syntax = vfErr("A: [1\nB: 2\n");
    assert.ok(syntax.line !== undefined && syntax.line >= 1);
  });
});

describe("loadVars", () => {
  it("--vars-file files in order, then --var flags override them", () => {
    const dir = mkdtempSync(join(tmpdir(), "pgbg-vars-"));
    try {
      writeFileSync(join(dir, "a.env"), "APP=a\nNS=one\n");
      writeFileSync(join(dir, "b.yaml"), "NS: two\nREGION: eu\n");
      const out = loadVars([join(dir, "a.env"), join(dir, "b.yaml")], ["REGION=us"]);
      assert.ok(out.ok);
      assert.deepEqual(Object.fromEntries(out.value), { APP: "a", NS: "two", REGION: "us" });
      const missing = loadVars([join(dir, "nope.env")], []);
      assert.ok(!missing.ok);
      assert.match(missing.error.message, /no such file/);
      const badFlag = loadVars([], ["nope"]);
      assert.ok(!badFlag.ok);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
