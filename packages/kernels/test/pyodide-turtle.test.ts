// The turtle of browser Python, run on Pyodide in a worker thread: the
// figures it draws are compared with the geometry CPython's own turtle
// computes for the same programs. CPython's navigation class (TNavigator)
// needs no Tk: the expected side imports Debian's turtle.py with tkinter
// stubbed out and records where each turtle goes with its pen down.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { getCell, readOutputs } from '@candyce/model';
import { describe, expect, it } from 'vitest';
import { executeCell } from '../src/index.js';
import { pythonModules } from '../src/pyodide-python.js';
import { notebook, runCode } from './helpers/notebook.js';
import { usePyodide } from './helpers/pyodide.js';

type Segment = [number, number, number, number];

// CPython's turtle, headless: each turtle records its moves with the pen down.
const cpythonHarness = `
import sys, types, json
class _Dummy:
    def __init__(self, *a, **k): pass
for name in ('tkinter', 'tkinter.simpledialog'):
    module = types.ModuleType(name)
    module.__path__ = []
    module.__getattr__ = lambda attr: _Dummy
    sys.modules[name] = module
sys.modules['tkinter'].simpledialog = sys.modules['tkinter.simpledialog']
import turtle
segments, turtles = [], []
class Turtle(turtle.TNavigator):
    def __init__(self, *a, **k):
        self._down = True
        super().__init__()
        turtles.append(self)
    def _goto(self, end):
        if self._down:
            segments.append([self._position[0], self._position[1], end[0], end[1]])
        self._position = end
    def penup(self): self._down = False
    def pendown(self): self._down = True
    pu = up = penup
    pd = down = pendown
    def __getattr__(self, name):
        return lambda *a, **k: None
class _Screen:
    def __getattr__(self, name):
        return lambda *a, **k: None
namespace = {'Turtle': Turtle, 'Screen': _Screen, 'done': lambda: None}
exec(sys.stdin.read(), namespace)
print(json.dumps({'segments': segments, 'ends': [[t.xcor(), t.ycor(), t.heading()] for t in turtles]}))
`;

const cpython = (program: string): { segments: Segment[]; ends: number[][] } => {
  const run = spawnSync('python3', ['-c', cpythonHarness], { input: program, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
};

// The segments of the polylines of an SVG drawing, in turtle coordinates (y up).
const segmentsOf = (svg: string): Segment[] => {
  const segments: Segment[] = [];
  for (const [, points] of svg.matchAll(/<polyline points="([^"]*)"/g)) {
    const xy = points!.split(' ').map((p) => p.split(',').map(Number) as [number, number]);
    for (let i = 1; i < xy.length; i++) segments.push([xy[i - 1]![0], -xy[i - 1]![1], xy[i]![0], -xy[i]![1]]);
  }
  return segments;
};

// Every expected segment is drawn (to the SVG's 0.01 px), and nothing else.
const expectSameSegments = (drawn: Segment[], expected: Segment[]) => {
  const left = [...drawn];
  for (const segment of expected) {
    const at = left.findIndex((d) => d.every((v, i) => Math.abs(v - segment[i]!) <= 0.011));
    expect(at, `segment ${segment.map((v) => v.toFixed(3)).join(' ')}`).toBeGreaterThanOrEqual(0);
    left.splice(at, 1);
  }
  expect(left).toEqual([]);
};

const angleGap = (a: number, b: number) => Math.abs(((a - b + 540) % 360) - 180);

const kernel = usePyodide({ interruptTimeoutMs: 1500 });

const svgOf = (outputs: ReturnType<typeof readOutputs>): string => {
  const shown = outputs.filter((o) => o.output_type === 'display_data');
  expect(shown).toHaveLength(1);
  const data = shown[0]!.output_type === 'display_data' ? shown[0]!.data : {};
  return String(data['image/svg+xml']);
};

const programs: Record<string, string> = {
  'a square, a pen lifted, circles with extent and steps, headings and home': `
t = Turtle()
t.speed(0)
for i in range(4):
    t.forward(80)
    t.left(90)
t.penup()
t.goto(-100, 50)
t.pendown()
t.circle(50)
t.circle(30, 180)
t.circle(-40, 90, steps=7)
t.setheading(135)
t.back(20)
t.right(33.3)
t.fd(12.5)
t.home()
`,
  'two turtles drawing in turn, goto with a tuple, setx and sety': `
a = Turtle()
b = Turtle()
a.speed(0)
b.speed(0)
for i in range(5):
    a.forward(100)
    a.right(144)
    b.circle(-25, 72)
b.up()
b.goto((10, -60))
b.down()
b.setx(70)
b.sety(-20)
a.lt(10)
a.circle(100, extent=-120)
a.circle(0.5)
`,
  'a spiral of polygons': `
t = Turtle()
t.speed(0)
for i in range(36):
    t.circle(20 + i, steps=6)
    t.right(10)
    t.forward(i / 3)
`,
};

describe('the turtle of browser Python', () => {
  it('is the embedded copy of python/turtle.py', () => {
    // Stale when python/turtle.py was edited without `npm run embed-python -w @candyce/kernels`.
    expect(pythonModules['turtle.py']).toBe(
      readFileSync(new URL('../python/turtle.py', import.meta.url), 'utf8'),
    );
  });

  for (const [name, program] of Object.entries(programs)) {
    it(`draws what CPython's turtle computes: ${name}`, async () => {
      const expected = cpython(program);
      const code = `from turtle import *\nScreen().clear()\n${program}\nprint([[t.xcor(), t.ycor(), t.heading()] for t in Screen().turtles()])`;
      const { result, outputs } = await runCode(kernel(), code);
      expect(result.status).toBe('ok');
      expectSameSegments(segmentsOf(svgOf(outputs)), expected.segments);
      const stream = outputs.find((o) => o.output_type === 'stream');
      const ends = JSON.parse(stream?.output_type === 'stream' ? stream.text : '[]') as number[][];
      expect(ends).toHaveLength(expected.ends.length);
      ends.forEach(([x, y, heading], i) => {
        const [ex, ey, eh] = expected.ends[i]!;
        expect(Math.abs(x! - ex!)).toBeLessThan(1e-6);
        expect(Math.abs(y! - ey!)).toBeLessThan(1e-6);
        expect(angleGap(heading!, eh!)).toBeLessThan(1e-6);
      });
    }, 30_000);
  }

  it('shows the drawing as it goes, paced by speed(), in one output', async () => {
    const doc = notebook(
      'import turtle, time\nturtle.Screen().clear()\nt = turtle.Turtle()\nt.speed(2)\nt0 = time.monotonic()\nfor i in range(12):\n    t.forward(60)\n    t.left(150)\nprint(time.monotonic() - t0 > 0.8)',
    );
    const frames = new Set<string>();
    doc.on('update', () => {
      for (const o of readOutputs(doc, 'c1'))
        if (o.output_type === 'display_data') frames.add(String(o.data['image/svg+xml']));
    });
    const result = await executeCell(doc, 'c1', kernel(), { flushInterval: 5 });
    expect(result.status).toBe('ok');
    const outputs = readOutputs(doc, 'c1');
    // Several frames were seen while it ran; the cell keeps the last, with every line.
    expect(frames.size).toBeGreaterThan(3);
    expect(segmentsOf(svgOf(outputs))).toHaveLength(12);
    expect(outputs.find((o) => o.output_type === 'stream')).toMatchObject({ text: 'True\n' });
    expect(getCell(doc, 'c1').get('execution_state')).not.toBe('running');
  }, 30_000);

  it('fills, dots, writes (escaped), colours, background, shapes; done() and mainloop() return', async () => {
    const { result, outputs } = await runCode(
      kernel(),
      [
        'import turtle',
        'turtle.Screen().clear()',
        'turtle.speed(0)',
        'turtle.bgcolor("lightblue")',
        'turtle.color("red", "yellow")',
        'turtle.begin_fill()',
        'for i in range(3):',
        '    turtle.forward(50)',
        '    turtle.left(120)',
        'turtle.end_fill()',
        'turtle.dot(20, "blue")',
        'turtle.pencolor(0.2, 0.4, 1)',
        'turtle.write("<b>Bonjour</b>", align="center", font=("Arial", 12, "bold"))',
        'turtle.shape("turtle")',
        's = turtle.Screen()',
        's.colormode(255)',
        't = turtle.Turtle(); t.hideturtle(); t.pencolor(0, 128, 0); t.circle(10)',
        'turtle.done(); turtle.mainloop(); s.exitonclick()',
      ].join('\n'),
    );
    expect(result.status).toBe('ok');
    const svg = svgOf(outputs);
    expect(svg).toMatch(/<rect [^>]*fill="lightblue"/);
    expect(svg).toMatch(/<polygon points="0,0 50,0 25,-43.3[^"]*" fill="yellow"/);
    expect(svg).toContain('<circle cx="0" cy="0" r="10" fill="blue"/>');
    expect(svg).toContain('stroke="#3366ff"');
    expect(svg).toContain('stroke="#008000"');
    expect(svg).toContain('&lt;b&gt;Bonjour&lt;/b&gt;');
    expect(svg).not.toContain('<b>');
  }, 30_000);

  it('refuses a colour that is not one, with a turtle error', async () => {
    const { outputs } = await runCode(kernel(), 'import turtle\nturtle.color("red\\" onload=\\"x")');
    expect(outputs.find((o) => o.output_type === 'error')).toMatchObject({ ename: 'TurtleGraphicsError' });
  }, 30_000);

  it('bounds a drawing of 200,000 segments to 50,000 items, and says so in it', async () => {
    const { result, outputs } = await runCode(
      kernel(),
      'import turtle\nturtle.Screen().clear()\nturtle.speed(0)\nfor i in range(200_000):\n    turtle.forward(1)\n    turtle.left(1)',
    );
    expect(result.status).toBe('ok');
    const svg = svgOf(outputs);
    expect(svg.length).toBeLessThan(2_000_000);
    const dropped = Number(/Dessin limité à 50000 éléments \((\d+) non dessinés\)/.exec(svg)?.[1]);
    expect(dropped).toBeGreaterThan(200_000 - 50_000 - 100);
  }, 60_000);

  it('keeps the last frame when a slow drawing is interrupted, and the variables', async () => {
    const doc = notebook(
      'import turtle\nturtle.Screen().clear()\nn = 0\nt = turtle.Turtle()\nt.speed(1)\nwhile True:\n    t.forward(100)\n    t.left(91)\n    n += 1',
      'print(n > 0)',
    );
    const running = executeCell(doc, 'c1', kernel(), { flushInterval: 5 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await kernel().interrupt();
    expect((await running).status).toBe('error');
    const outputs = readOutputs(doc, 'c1');
    expect(outputs.find((o) => o.output_type === 'error')).toMatchObject({ ename: 'KeyboardInterrupt' });
    expect(segmentsOf(svgOf(outputs)).length).toBeGreaterThan(0);
    await executeCell(doc, 'c2', kernel(), { flushInterval: 5 });
    expect(readOutputs(doc, 'c2')).toEqual([{ output_type: 'stream', name: 'stdout', text: 'True\n' }]);
  }, 30_000);
});
