import { describe, expect, test } from "bun:test";
import { parseGoYaml } from "../topology/go-yaml.ts";
import { renderTemplate, TemplateError, TemplateSet } from "./index.ts";

// Each expected output is what Go's text/template with Containerlab's FuncMap prints for the same
// template and data (utils/template.go, text/template exec.go/funcs.go, fmt, encoding/json).
const render = (src: string, data: unknown = {}) => renderTemplate(src, data);

const cases: [string, string, unknown?][] = [
  // seq returns a list of int64: 1 arg is 1..n, 2 args start..end, 3 args start, end, step.
  ["{{ seq 3 }}", "[1 2 3]"],
  ["{{ seq 4 8 }}", "[4 5 6 7 8]"],
  ["{{ seq 4 8 2 }}", "[4 6 8]"],
  ["{{ seq 8 4 2 }}", "[8 6 4]"],
  ["{{ seq 8 4 }}", "[8 7 6 5 4]"],
  ["{{ seq 1 10 4 }}", "[1 5 9]"],
  ["{{ seq 10 1 4 }}", "[10 6 2]"],
  ["{{ seq 1 5 0 }}", "[]"],
  ["{{ seq 0 }}", "[1 0]"],
  ["{{ seq 2 2 }}", "[2]"],
  ['{{ seq "3" }}', "[1 2 3]"],
  ["{{ range seq 2 }}{{ . }},{{ end }}", "1,2,"],
  // Arithmetic: integers stay integers unless an argument is a float; div is float division.
  ["{{ add 1 2 }} {{ add 1 2.5 }} {{ add 1.5 1.5 }}", "3 3.5 3"],
  ['{{ add "2" 3 }} {{ add "1.5" 1 }}', "5 2.5"],
  ["{{ subtract 1 3 }} {{ subtract 5.5 0.5 }}", "-2 5"],
  ["{{ mul 2 3 }} {{ mul 2 0.5 }}", "6 1"],
  ["{{ div 7 2 }} {{ div 6 2 }} {{ div 1 3 }}", "3.5 3 0.3333333333333333"],
  ["{{ idiv 7 2 }} {{ idiv -7 2 }}", "3 -3"],
  ["{{ rem 7 3 }} {{ rem -7 3 }}", "1 -1"],
  ["{{ add 9223372036854775807 1 }}", "-9223372036854775808"],
  ['{{ printf "%T %T" (add 1 2) (div 4 2) }}', "int 3".replace("int 3", "int float64")],
  // JSON as encoding/json writes it: sorted keys, HTML characters escaped.
  [
    "{{ ToJSON .m }}",
    '{"a":"\\u003cx\\u003e \\u0026","b":[1,2.5,true,null],"c":{}}',
    { m: { b: [1n, 2.5, true, null], a: "<x> &", c: {} } },
  ],
  ['{{ ToJSONPretty .m "" "  " }}', '{\n  "a": 1,\n  "b": [\n    "x"\n  ]\n}', { m: { a: 1n, b: ["x"] } }],
  ['{{ ToJSONPretty .m ">" "\t" }}', '{\n>\t"k": []\n>}', { m: { k: [] } }],
  ["{{ ToJSON 1e21 }} {{ ToJSON 0.000001 }} {{ ToJSON 1e-7 }} {{ ToJSON 100.0 }}", "1e+21 0.000001 1e-7 100"],
  ["{{ ToJSON .s }}", "[1,2]", { s: [1n, 2n] }],
  // slice builds a list; strings, conv and net are namespaces as in Containerlab.
  ['{{ slice 1 "a" 2.5 }} {{ len (slice) }}', "[1 a 2.5] 0"],
  ['{{ strings.Split "," "a,b,,c" }} {{ len (strings.Split "," "") }}', "[a b  c] 1"],
  ['{{ strings.Split "" "héj" }}', "[h é j]"],
  ['{{ strings.ReplaceAll "a" "o" "banana" }} {{ strings.ReplaceAll "" "o" "x" }}', "bonono x"],
  ['{{ strings.Split "," .missing }}', "[nil]"],
  ['{{ conv.Join (slice 1 "x" 2.5) "-" }} {{ conv.Join (strings.Split "." "a.b") "/" }}', "1-x-2.5 a/b"],
  ['{{ conv.ToInt "42" }} {{ conv.ToInt 3.9 }} {{ conv.ToInt "1,000" }} {{ conv.ToInt "0x10" }}', "42 3 1000 16"],
  [
    '{{ net.CIDRHost 5 "10.0.0.0/24" }} {{ net.CIDRHost -1 "10.0.0.0/24" }} {{ net.CIDRHost 2 "10.1.2.3/16" }}',
    "10.0.0.5 10.0.0.255 10.1.0.2",
  ],
  ['{{ net.CIDRHost 1 "2001:db8::/64" }} {{ net.CIDRHost 65536 "fd00::/64" }}', "2001:db8::1 fd00::1:0"],
  // Go's builtins: and/or return the deciding operand and stop there; eq takes several arguments.
  ['{{ and 1 0 2 }} {{ and 1 2 }} {{ or 0 "" "x" }} {{ or 0 "" }}|', "0 2 x |"],
  ["{{ and false (div 1 0) }} {{ or true (div 1 0) }}", "false true"],
  ['{{ eq 1 2 3 1 }} {{ eq "a" "b" }} {{ eq .missing "x" }} {{ ne 1 2 }}', "true false false true"],
  ['{{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1.5 2.5 }}', "true true true false"],
  ["{{ not 0 }} {{ not (slice) }} {{ not .m }}", "true true false", { m: { a: 1n } }],
  ['{{ len "héllo" }} {{ len .l }} {{ len .m }}', "6 2 1", { l: [1n, 2n], m: { a: 1n } }],
  [
    '{{ index .l 1 }} {{ index .m "a" "b" }} {{ index "abc" 0 }} {{ index .m "zz" }}',
    "y 7 97 <no value>",
    { l: ["x", "y"], m: { a: { b: 7n } } },
  ],
  // fmt as Go prints: Sprint spaces only between non-strings; %v of floats, lists and maps.
  ['{{ print 1 2 "a" 3 "b" "c" }}', "1 2a3bc"],
  ['{{ println 1 "a" 2.5 }}', "1 a 2.5\n"],
  ["{{ print .missing nil }}", "<nil> <nil>"],
  [
    "{{ 1e6 }} {{ 123456789.0 }} {{ 100000.0 }} {{ 0.0001 }} {{ 0.00001 }} {{ 3.0 }} {{ 'a' }} {{ 0x10 }} {{ 1_000 }} {{ 017 }}",
    "1e+06 1.23456789e+08 100000 0.0001 1e-05 3 97 16 1000 15",
  ],
  [
    "{{ .m }} {{ .l }}",
    "map[a:1 b:[x 2.5] c:map[]] [1 <nil> true]",
    { m: { b: ["x", 2.5], a: 1n, c: {} }, l: [1n, null, true] },
  ],
  [
    '{{ printf "%d|%5d|%-5d|%05d|%+d|%x|%X|%o|%b|%c|%q|%U" 42 42 42 42 42 255 255 8 5 65 65 65 }}',
    "42|   42|42   |00042|+42|ff|FF|10|101|A|'A'|U+0041",
  ],
  [
    '{{ printf "%f|%.2f|%8.3f|%e|%.3e|%g|%.3g|%G" 3.14159 3.14159 3.14159 1234.5678 1234.5678 0.000012345 1234.5678 1e-7 }}',
    "3.141590|3.14|   3.142|1.234568e+03|1.235e+03|1.2345e-05|1.23e+03|1E-07",
  ],
  [
    '{{ printf "%s|%q|%v|%10s|%-4s|%.2s|%x" "hi" "a\\"b\\n" "v" "r" "l" "abc" "hi" }}',
    'hi|"a\\"b\\n"|v|         r|l   |ab|6869',
  ],
  ['{{ printf "%t %v %v %v" true .l .m nil }}', "true [1 2] map[k:v] <nil>", { l: [1n, 2n], m: { k: "v" } }],
  [
    '{{ printf "%d" "x" }} {{ printf "%s" 5 }} {{ printf "%d %d" 1 }} {{ printf "%d" 1 2 }}',
    "%!d(string=x) %!s(int=5) 1 %!d(MISSING) 1%!(EXTRA int=2)",
  ],
  ['{{ printf "%.0f %.0f %.0f %.1f" 0.5 1.5 2.5 0.25 }}', "0 2 2 0.2"],
  [
    '{{ printf "%d" (seq 3) }} {{ printf "%T %T %T %T" (seq 1) (strings.Split "," "a") (slice) .m }}',
    "[1 2 3] []int64 []string []interface {} map[string]interface {}",
    { m: {} },
  ],
  ['{{ printf "%5.1f%%" 99.44 }} {{ printf "%*d" 4 7 }}', " 99.4% 0007".replace("0007", "   7")],
  [
    '{{ html "<a href=\'x\'>&</a>" }} {{ js "a\'b\\"<>" }} {{ urlquery "a b&c=d/é" }}',
    "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt; a\\'b\\\"\\u003C\\u003E a+b%26c%3Dd%2F%C3%A9",
  ],
  // Actions: variables and scopes, range over lists, maps (sorted) and integers, break and continue.
  ["{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ $y := 3 }}{{ end }}{{ $x }}", "2"],
  ["{{ range $i, $e := .l }}{{ $i }}={{ $e }} {{ end }}", "0=a 1=b ", { l: ["a", "b"] }],
  ["{{ range $e := .l }}{{ $e }}{{ end }}", "ab", { l: ["a", "b"] }],
  ["{{ range $k, $v := .m }}{{ $k }}:{{ $v }} {{ end }}", "A:3 a:2 z:1 ", { m: { z: 1n, a: 2n, A: 3n } }],
  ["{{ range 3 }}{{ . }}{{ end }} {{ range $i := 2 }}{{ $i }}{{ end }}", "012 01"],
  ["{{ range .none }}x{{ else }}empty{{ end }} {{ range 0 }}x{{ else }}zero{{ end }}", "empty zero"],
  ["{{ range seq 6 }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ if eq . 5 }}{{ break }}{{ end }}{{ . }}{{ end }}", "134"],
  [
    "{{ range $i, $a := seq 2 }}{{ range $b := seq 3 }}{{ if eq $b 2 }}{{ break }}{{ end }}{{ $a }}{{ $b }} {{ end }}{{ end }}",
    "11 21 ",
  ],
  [
    "{{ with .a }}{{ .b }}{{ else }}none{{ end }} {{ with .z }}x{{ else with .a.b }}[{{ . }}]{{ end }}",
    "1 [1]",
    { a: { b: 1n } },
  ],
  ["{{ if .x }}x{{ else if .y }}y{{ else }}z{{ end }}", "y", { y: true }],
  ['{{ define "T" }}<{{ . }}{{ $ }}>{{ end }}{{ template "T" 5 }}{{ template "T" }}', "<55><<no value><no value>>"],
  ['{{ block "B" .v }}[{{ . }}]{{ end }}', "[7]", { v: 7n }],
  ["{{- /* a comment */ -}}\n  a {{- 1 -}} b {{ 2 }}  {{- 3 }}", "a1b 23"],
  ['{{ (index .m "k").x }} {{ (slice 1 2) }}', "5 [1 2]", { m: { k: { x: 5n } } }],
  ["{{ .missing }} {{ .a.b.c }} {{ $.missing }}", "<no value> <no value> <no value>", {}],
  ['{{ .x | printf "%s!" }} {{ "a" | printf "%s%s" "b" }}', "x! ba", { x: "x" }],
  ["{{ $n := len .l }}{{ $n }}", "3", { l: [1n, 2n, 3n] }],
  ["{{ '\\n' }} {{ '\\'' }} {{ 'é' }}", "10 39 233"],
];

describe("Go templates with Containerlab's functions", () => {
  // Bun passes a done callback for a missing third column, so every row gets its data.
  test.each(cases.map(([src, want, data]) => [src, want, data ?? {}] as const))("%s", (src, want, data) => {
    expect(render(src, data)).toBe(want);
  });

  const errors: [string, string, unknown?][] = [
    ["{{ until 3 }}", 'function "until" not defined'],
    ["{{ default 1 2 }}", 'function "default" not defined'],
    ["x\n\n{{ frob }}", 'function "frob" not defined'],
    ["{{ $x }}", 'undefined variable "$x"'],
    ["{{ if true }}x", "unexpected EOF"],
    ["{{ break }}", "{{break}} outside {{range}}"],
    ["{{ end }}", "unexpected {{end}}"],
    ["{{ div 1 0 }}", "error calling div: error: division by 0"],
    ["{{ idiv 1 0 }}", "error calling idiv: error: division by 0"],
    ["{{ rem 1 0 }}", "error calling rem: expected a number: divisor is zero"],
    ['{{ add "x" 1 }}', 'error calling add: expected a number: could not convert "x" to int64'],
    ["{{ seq }}", "error calling seq: expected 1, 2, or 3 arguments, got 0"],
    ["{{ eq 1 1.0 }}", "error calling eq: incompatible types for comparison"],
    ["{{ lt true false }}", "error calling lt: invalid type for comparison"],
    ["{{ range .s }}{{ end }}", "range can't iterate over str", { s: "str" }],
    ["{{ range $i, $e := 3 }}{{ end }}", "can't use 3 to iterate over more than one variable"],
    ['{{ template "nope" }}', 'template "nope" not defined'],
    ["{{ nil }}", "nil is not a command"],
    ["{{ 3 4 }}", "can't give argument to non-function 3"],
    ['{{ strings.Split 1 "a" }}', "expected string; found 1"],
    ['{{ strings.Split .n "a" }}', "wrong type for value; expected string; got int", { n: 1n }],
    ["{{ .a.b }}", "nil pointer evaluating interface {}.b", { a: null }],
    ["{{ .s.x }}", "can't evaluate field x in type string", { s: "str" }],
    ["{{ index .l 5 }}", "error calling index: index out of range: 5", { l: [1n] }],
    [
      '{{ net.CIDRHost 300 "10.0.0.0/24" }}',
      "error calling CIDRHost: prefix of 24 does not accommodate a host numbered 300",
    ],
    [
      '{{ conv.Join 5 "," }}',
      "error calling Join: input to Join must be an array: expected an array or slice, but got a reflect.Value",
    ],
    ["{{ len 3 }}", "error calling len: len of type int"],
    ["{{ ToJSON }}", "wrong number of args for ToJSON: want 1 got 0"],
    ["{{ 1 | 2 }}", "non executable command in pipeline stage 2"],
    ["{{ .x. }}", "unexpected <.> in operand"],
    ['{{ "x".y }}', 'unexpected . after term "\\"x\\""'],
    ["{{ 'ab' }}", "malformed character constant: 'ab'"],
    ["{{ 12ab }}", 'bad number syntax: "12a"'],
    ['{{ "abc }}', "unterminated quoted string"],
    ["{{/* x */ 1 }}", "comment ends before closing delimiter"],
  ];
  test.each(errors.map(([src, message, data]) => [src, message, data ?? {}] as const))(
    "error: %s",
    (src, message, data) => {
      let caught: unknown;
      try {
        render(src, data);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(TemplateError);
      expect((caught as Error).message).toContain(message);
    },
  );

  test("errors carry the line, in the file that has it", () => {
    const set = new TemplateSet()
      .parse("main.gotmpl", 'a\nb\n{{ template "sub" . }}', "main.gotmpl")
      .parse("subs.gotmpl", '{{ define "sub" }}\n\n{{ div 1 0 }}{{ end }}', "clab_templates/subs.gotmpl");
    try {
      set.execute("main.gotmpl", {});
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateError);
      expect((e as TemplateError).file).toBe("clab_templates/subs.gotmpl");
      expect((e as TemplateError).line).toBe(3);
    }
  });

  test("a later file redefines a template; an empty definition does not", () => {
    const set = new TemplateSet()
      .parse("a", '{{ define "x" }}one{{ end }}{{ template "x" }}')
      .parse("b", '{{ define "x" }}two{{ end }}')
      .parse("c", '{{ define "x" }}  {{ end }}');
    expect(set.execute("a", {})).toBe("two");
    expect(() => new TemplateSet().parse("d", '{{ define "x" }}1{{ end }}{{ define "x" }}2{{ end }}')).toThrow(
      /multiple definition of template "x"/,
    );
  });

  test("vars decode as gopkg.in/yaml.v2 does: ints, floats, YAML 1.1 booleans", () => {
    const { value } = parseGoYaml("a: 1\nb: 1.0\nc: yes\nd: 0755\ne: [1, x]\n");
    expect(render('{{ .a }} {{ .b }} {{ .c }} {{ .d }} {{ .e }} {{ printf "%T %T" .a .b }}', value)).toBe(
      "1 1 true 493 [1 x] int float64",
    );
  });
});
