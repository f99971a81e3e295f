import { describe, expect, test } from "bun:test";
import { parse } from "yaml";
import { renderTemplate, TemplateError } from "./template.ts";

// A leaf/spine fabric generated from a vars file, in the style of Containerlab's templated labs.
const fabric = `name: fabric
topology:
  defaults: { kind: linux, image: lab-test/linux:1 }
  nodes:
{{- range $s := until (index . "spines" "count") }}
    spine{{ add1 $s }}: { labels: { role: {{ index $ "spines" "role" }} } }
{{- end }}
{{- range $l := until .leaves.count }}
    leaf{{ add1 $l }}: {}
{{- end }}
{{- /*
  Leaves take their uplinks after the access ports when there are any.
*/ -}}
{{- $first := 1 }}
{{- if gt .leaves.access 0 }}
  {{- $first = add1 .leaves.access }}
{{- end }}
  links:
{{- range $s := until .spines.count }}
  {{- range $l := until $.leaves.count }}
    - endpoints: ["spine{{ add1 $s }}:eth{{ add1 $l }}", "leaf{{ add1 $l }}:eth{{ add $first $s }}"]
  {{- end }}
{{- end }}
`;

describe("renderTemplate", () => {
  test("a templated fabric renders to what its vars describe", () => {
    const vars = { spines: { count: 2, role: "spine" }, leaves: { count: 3, access: 4 } };
    const out = parse(renderTemplate(fabric, vars));
    expect(Object.keys(out.topology.nodes)).toEqual(["spine1", "spine2", "leaf1", "leaf2", "leaf3"]);
    expect(out.topology.nodes.spine2).toEqual({ labels: { role: "spine" } });
    expect(out.topology.links).toHaveLength(6);
    expect(out.topology.links[5]).toEqual({ endpoints: ["spine2:eth3", "leaf3:eth6"] });
    const noAccess = parse(renderTemplate(fabric, { ...vars, leaves: { count: 1, access: 0 } }));
    expect(noAccess.topology.links).toEqual([
      { endpoints: ["spine1:eth1", "leaf1:eth1"] },
      { endpoints: ["spine2:eth1", "leaf1:eth2"] },
    ]);
  });

  test("variables, assignment, if/else if/else, comments and trim markers", () => {
    const src = `{{- $off := 0 }}{{/* a comment */}}
{{- if eq .a "x" }}{{ $off = 48 }}{{ else if eq .a "y" }}{{ $off = 1 }}{{ else }}{{ $off = 2 }}{{ end -}}
[{{ $off }}] {{ add $off 1 2 }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ mod 7 2 }} {{ sub 5 7 }}`;
    expect(renderTemplate(src, { a: "x" })).toBe("[48] 51 24 3 1 -2");
    expect(renderTemplate(src, { a: "y" })).toBe("[1] 4 24 3 1 -2");
    expect(renderTemplate(src, { a: "z" })).toBe("[2] 5 24 3 1 -2");
  });

  test("range over lists with index, maps in key order, integers, and else", () => {
    const data = { l: ["a", "b"], m: { z: 1, a: 2 }, e: [] };
    expect(renderTemplate("{{ range $i, $v := .l }}{{ $i }}={{ $v }} {{ end }}", data)).toBe("0=a 1=b ");
    expect(renderTemplate("{{ range $k, $v := .m }}{{ $k }}:{{ $v }} {{ end }}", data)).toBe("a:2 z:1 ");
    expect(renderTemplate("{{ range 3 }}{{ . }}{{ end }}", data)).toBe("012");
    expect(renderTemplate("{{ range .e }}x{{ else }}none{{ end }}", data)).toBe("none");
    expect(renderTemplate("{{ range .l }}{{ . | upper }}{{ end }}", data)).toBe("AB");
  });

  test("with, pipelines, parentheses, printf, seq and defaults", () => {
    const data = { n: { name: "r1", port: 7 }, missing: undefined };
    expect(renderTemplate("{{ with .n }}{{ .name }}{{ end }}", data)).toBe("r1");
    expect(renderTemplate('{{ printf "e1-%02d" (add1 .n.port) }}', data)).toBe("e1-08");
    expect(renderTemplate('{{ .missing | default "dflt" }} {{ seq 3 }} {{ (index . "n").name }}', data)).toBe(
      "dflt 1 2 3 r1",
    );
    expect(renderTemplate("{{ .nope }} {{ len .n }}", data)).toBe("<no value> 2");
  });

  test("define, template and block", () => {
    const src = `{{- define "node" }}    {{ .name }}: { kind: {{ .kind | default "linux" }} }
{{ end -}}
nodes:
{{ range .nodes }}{{ template "node" . }}{{ end -}}
{{ block "extra" $.extra }}    {{ . }}: {}
{{ end -}}`;
    expect(renderTemplate(src, { nodes: [{ name: "a" }, { name: "b", kind: "srl" }], extra: "c" })).toBe(
      "nodes:\n    a: { kind: linux }\n    b: { kind: srl }\n    c: {}\n",
    );
  });

  test("mistakes name the line", () => {
    const err = (src: string) => {
      try {
        renderTemplate(src, {});
      } catch (e) {
        expect(e).toBeInstanceOf(TemplateError);
        return `${(e as TemplateError).line}: ${(e as Error).message}`;
      }
      throw new Error("expected a template error");
    };
    expect(err("a\nb {{ frobnicate 1 }}")).toBe('2: function "frobnicate" not defined');
    expect(err("a\n\n{{ if true }}x")).toBe("3: {{if}} has no {{end}}");
    expect(err("{{ $x }}")).toBe("1: undefined variable: $x");
    expect(err("x {{ .a ")).toBe("1: unclosed action: {{ without }}");
    expect(err('{{ template "x" }}')).toBe('1: no such template "x"');
  });
});
