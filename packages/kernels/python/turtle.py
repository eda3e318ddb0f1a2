# Candyce's turtle for browser Python: the subset of CPython's turtle that
# lycée courses use, drawn as an SVG image in the cell's output. The drawing
# is shown when a cell first draws and updated as it goes (paced by speed(),
# as the Tk turtle is); the cell's last update happens when it ends. The
# geometry (headings in degrees, circle steps) is CPython's, so that a
# figure drawn here matches the one drawn on a desktop.

import html as _html
import math as _math
import time as _time
import uuid as _uuid

import _candyce

__all__ = ['Turtle', 'Pen', 'RawTurtle', 'Screen', 'TurtleGraphicsError', 'Vec2D', 'done', 'mainloop',
           'exitonclick', 'bye', 'bgcolor', 'setup', 'title', 'tracer', 'update', 'colormode', 'screensize',
           'delay', 'clearscreen', 'resetscreen', 'getscreen', 'turtles', 'window_width', 'window_height',
           'listen', 'onkey', 'onkeypress', 'onkeyrelease', 'onclick', 'onscreenclick', 'ontimer', 'textinput',
           'numinput', 'mode', 'getturtle', 'getpen']

# A drawing keeps at most this many points, dots and texts (about 1 MB of
# SVG): beyond, it says so and draws no more, so that an endless loop
# cannot fill the notebook.
MAX_ITEMS = 50_000


class TurtleGraphicsError(Exception):
    """A wrong argument to a turtle function (a colour, a speed)."""


class Vec2D(tuple):
    """A point or vector of the plane, as turtle.Vec2D."""

    def __new__(cls, x, y):
        return tuple.__new__(cls, (x, y))

    def __add__(self, other):
        return Vec2D(self[0] + other[0], self[1] + other[1])

    def __sub__(self, other):
        return Vec2D(self[0] - other[0], self[1] - other[1])

    def __mul__(self, other):
        if isinstance(other, Vec2D):
            return self[0] * other[0] + self[1] * other[1]
        return Vec2D(self[0] * other, self[1] * other)

    __rmul__ = __mul__

    def __neg__(self):
        return Vec2D(-self[0], -self[1])

    def __abs__(self):
        return _math.hypot(self[0], self[1])

    def __repr__(self):
        return '(%.2f,%.2f)' % self


_SPEEDS = {'fastest': 0, 'fast': 10, 'normal': 6, 'slow': 3, 'slowest': 1}


def _number(value):
    text = '%.2f' % value
    if '.' in text:
        text = text.rstrip('0').rstrip('.')
    return '0' if text in ('', '-0') else text


class _Screen:
    def __init__(self):
        self._width = 480
        self._height = 360
        self._bg = 'white'
        self._colormode = 1.0
        self._tracing = 1
        self._delay = 0.01
        self._turtles = []
        self._items = []
        self._count = 0
        self._dropped = 0
        self._size = 0
        self._handle = None
        self._shown = 0.0
        self._render_cost = 0.0
        self._dirty = False

    # --- what the cell shows ---

    def _room(self):
        if self._count >= MAX_ITEMS:
            self._dropped += 1
            return False
        self._count += 1
        self._dirty = True
        return True

    def _add(self, item):
        if not self._room():
            return None
        self._items.append(item)
        return item

    def _svg(self):
        w, h = self._width, self._height
        parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="%s %s %d %d">'
                 % (w, h, _number(-w / 2), _number(-h / 2), w, h),
                 '<rect x="%s" y="%s" width="%d" height="%d" fill="%s"/>'
                 % (_number(-w / 2), _number(-h / 2), w, h, self._bg)]
        for item in self._items:
            text = item.svg()
            if text:
                parts.append(text)
        for t in self._turtles:
            if t._visible:
                parts.append(t._shape_svg())
        if self._dropped:
            parts.append('<text x="%s" y="%s" font-size="12" fill="#b00">%s</text>'
                         % (_number(-w / 2 + 4), _number(h / 2 - 6), _html.escape(
                             'Dessin limité à %d éléments (%d non dessinés) · drawing limited to %d items'
                             % (MAX_ITEMS, self._dropped, MAX_ITEMS))))
        parts.append('</svg>')
        return ''.join(parts)

    def _show(self, force=False):
        # Shown at most every 40 ms (longer when the drawing is big), and
        # always at the end of the cell: each update carries the whole image.
        now = _time.monotonic()
        wait = max(0.04, 4 * self._render_cost, self._size / 2_500_000)
        if not force and (not self._dirty or now - self._shown < wait):
            return
        start = _time.monotonic()
        svg = self._svg()
        self._size = len(svg)
        bundle = {'image/svg+xml': svg, 'text/plain': '<turtle drawing>'}
        if self._handle is None:
            self._handle = _uuid.uuid4().hex
            _candyce.display(bundle, raw=True, display_id=self._handle)
        else:
            _candyce.display(bundle, raw=True, display_id=self._handle, update=True)
        self._shown = _time.monotonic()
        self._render_cost = self._shown - start
        self._dirty = False

    def _end_of_cell(self):
        if self._dirty and (self._items or self._handle is not None):
            self._show(force=True)
        # The next cell that draws shows the drawing in its own output.
        self._handle = None

    def _step(self, distance, speed):
        # As the Tk turtle: a move takes more hops the longer and slower it is.
        self._dirty = True
        if self._tracing and self._delay:
            if speed:
                hops = 1 + int(abs(distance) / (3 * 1.1 ** speed * speed))
                self._show()
                _time.sleep(self._delay * hops)
                return
        if self._tracing:
            self._show()

    # --- Screen's methods ---

    def bgcolor(self, *args):
        if not args:
            return self._bg
        self._bg = _color(self, args)
        self._dirty = True
        self._show()

    def setup(self, width=None, height=None, startx=None, starty=None):
        if width is not None:
            self._width = max(10, min(2000, int(width if width > 1 else width * 960)))
        if height is not None:
            self._height = max(10, min(2000, int(height if height > 1 else height * 720)))
        self._dirty = True

    def screensize(self, canvwidth=None, canvheight=None, bg=None):
        if canvwidth is None and canvheight is None and bg is None:
            return self._width, self._height
        self.setup(canvwidth, canvheight)
        if bg is not None:
            self.bgcolor(bg)

    def window_width(self):
        return self._width

    def window_height(self):
        return self._height

    def colormode(self, cmode=None):
        if cmode is None:
            return self._colormode
        if cmode not in (1.0, 255):
            raise TurtleGraphicsError('colormode must be 1.0 or 255')
        self._colormode = 255 if cmode == 255 else 1.0

    def tracer(self, n=None, delay=None):
        if n is None:
            return self._tracing
        self._tracing = int(n)
        if delay is not None:
            self.delay(delay)
        if self._tracing:
            self._show(force=True)

    def delay(self, delay=None):
        if delay is None:
            return int(self._delay * 1000)
        self._delay = max(0, float(delay)) / 1000

    def update(self):
        self._show(force=True)

    def turtles(self):
        return list(self._turtles)

    def clear(self):
        self._items = []
        self._count = 0
        self._dropped = 0
        self._bg = 'white'
        self._turtles = []
        self._dirty = True
        global _default
        _default = None

    clearscreen = clear

    def reset(self):
        for t in self._turtles:
            t.reset()

    resetscreen = reset

    def mode(self, mode=None):
        if mode is None:
            return 'standard'
        if mode != 'standard':
            raise TurtleGraphicsError('only the standard mode is available here')

    def done(self):
        self._show(force=True)

    mainloop = done
    exitonclick = done
    bye = done

    def title(self, titlestring):
        pass

    def listen(self, xdummy=None, ydummy=None):
        pass

    def onkey(self, fun, key=None):
        pass

    onkeypress = onkey
    onkeyrelease = onkey

    def onclick(self, fun, btn=1, add=None):
        pass

    onscreenclick = onclick

    def ontimer(self, fun, t=0):
        pass

    def textinput(self, title, prompt):
        return input(prompt)

    def numinput(self, title, prompt, default=None, minval=None, maxval=None):
        return float(input(prompt))

    def getcanvas(self):
        return None

    def register_shape(self, name, shape=None):
        pass

    addshape = register_shape


_screen = None


def Screen():
    """Returns the one screen every turtle draws on."""
    global _screen
    if _screen is None:
        _screen = _Screen()
    return _screen


def _color(screen, args):
    if len(args) == 1:
        args = args[0]
    if isinstance(args, str):
        name = args.strip()
        if name and all(c.isalnum() or c == '#' for c in name) and len(name) <= 32:
            return name.lower()
        raise TurtleGraphicsError('bad color string: %r' % (args,))
    try:
        r, g, b = (float(v) for v in args)
    except (TypeError, ValueError):
        raise TurtleGraphicsError('bad color arguments: %r' % (args,)) from None
    top = screen._colormode
    if not all(0 <= v <= top for v in (r, g, b)):
        raise TurtleGraphicsError('bad color sequence: %r' % (args,))
    if top == 1.0:
        r, g, b = r * 255, g * 255, b * 255
    return '#%02x%02x%02x' % (round(r), round(g), round(b))


class _Line:
    def __init__(self, start, color, width):
        self.points = [start]
        self.color = color
        self.width = width

    def svg(self):
        if len(self.points) < 2:
            return ''
        points = ' '.join(_number(x) + ',' + _number(-y) for x, y in self.points)
        return ('<polyline points="%s" fill="none" stroke="%s" stroke-width="%s" stroke-linecap="round" '
                'stroke-linejoin="round"/>' % (points, self.color, _number(self.width)))


class _Fill:
    def __init__(self, start, color):
        self.points = [start]
        self.color = color
        self.closed = False

    def svg(self):
        if not self.closed or len(self.points) < 3:
            return ''
        points = ' '.join(_number(x) + ',' + _number(-y) for x, y in self.points)
        return '<polygon points="%s" fill="%s" stroke="none" fill-rule="evenodd"/>' % (points, self.color)


class _Dot:
    def __init__(self, at, size, color):
        self.at, self.size, self.color = at, size, color

    def svg(self):
        return '<circle cx="%s" cy="%s" r="%s" fill="%s"/>' % (
            _number(self.at[0]), _number(-self.at[1]), _number(self.size / 2), self.color)


class _Text:
    def __init__(self, at, text, align, font, color):
        self.at, self.text, self.align, self.font, self.color = at, text, align, font, color

    def svg(self):
        family, size, style = (tuple(self.font) + ('Arial', 8, 'normal')[len(self.font):])[:3]
        anchor = {'left': 'start', 'center': 'middle', 'right': 'end'}.get(self.align, 'start')
        style = str(style)
        weight = ' font-weight="bold"' if 'bold' in style else ''
        italic = ' font-style="italic"' if 'italic' in style else ''
        return '<text x="%s" y="%s" font-family="%s" font-size="%s" fill="%s" text-anchor="%s"%s%s>%s</text>' % (
            _number(self.at[0]), _number(-self.at[1]), _html.escape(str(family)), _number(abs(float(size)) * 4 / 3),
            self.color, anchor, weight, italic, _html.escape(self.text))


# Outlines of the turtle's shapes, pointing east, in pixels.
_SHAPES = {
    'classic': ((0, 0), (-10, 5), (-7, 0), (-10, -5)),
    'arrow': ((8, 0), (-6, 8), (-6, -8)),
    'triangle': ((10, 0), (-5, 8.7), (-5, -8.7)),
    'square': ((10, 10), (-10, 10), (-10, -10), (10, -10)),
    'turtle': ((14, 0), (10, 3), (7, 4), (4, 9), (1, 6), (-6, 7), (-8, 10), (-10, 6), (-13, 2), (-16, 0),
               (-13, -2), (-10, -6), (-8, -10), (-6, -7), (1, -6), (4, -9), (7, -4), (10, -3)),
}


class Turtle:
    """A turtle that draws on the screen, as turtle.Turtle."""

    def __init__(self, shape='classic', undobuffersize=1000, visible=True):
        self.screen = Screen()
        self._shape = shape if shape in _SHAPES or shape in ('circle', 'blank') else 'classic'
        self._visible = bool(visible)
        self._init_state()
        self.screen._turtles.append(self)
        self.screen._dirty = True

    def _init_state(self):
        self._position = Vec2D(0.0, 0.0)
        self._angle = 0.0
        self._down = True
        self._pencolor = 'black'
        self._fillcolor = 'black'
        self._pensize = 1
        self._speed = 3
        self._line = None
        self._fill = None

    def _put(self, item):
        # Each item knows its turtle, so that clear() removes only its own.
        item.owner = self
        return self.screen._add(item)

    # --- moving ---

    def _goto(self, end):
        end = Vec2D(float(end[0]), float(end[1]))
        distance = abs(end - self._position)
        if self._down:
            if self._line is None:
                self._line = self._put(_Line(self._position, self._pencolor, self._pensize))
            if self._line is not None:
                if len(self._line.points) >= 1000:
                    self._line = self._put(_Line(self._position, self._pencolor, self._pensize))
                if self._line is not None and self.screen._room():
                    self._line.points.append(end)
        if self._fill is not None and self.screen._room():
            self._fill.points.append(end)
        self._position = end
        self.screen._step(distance, self._speed)

    def _heading_vector(self):
        radians = _math.radians(self._angle)
        return Vec2D(_math.cos(radians), _math.sin(radians))

    def forward(self, distance):
        self._goto(self._position + self._heading_vector() * float(distance))

    fd = forward

    def back(self, distance):
        self.forward(-float(distance))

    bk = backward = back

    def _rotate(self, angle):
        self._angle = (self._angle + float(angle)) % 360.0
        self.screen._dirty = True

    def left(self, angle):
        self._rotate(angle)

    lt = left

    def right(self, angle):
        self._rotate(-float(angle))

    rt = right

    def goto(self, x, y=None):
        if y is None:
            x, y = x
        self._goto(Vec2D(x, y))

    setpos = setposition = goto

    def setx(self, x):
        self._goto(Vec2D(x, self._position[1]))

    def sety(self, y):
        self._goto(Vec2D(self._position[0], y))

    def setheading(self, to_angle):
        self._angle = float(to_angle) % 360.0
        self.screen._dirty = True

    seth = setheading

    def home(self):
        self.goto(0, 0)
        self.setheading(0)

    def circle(self, radius, extent=None, steps=None):
        radius = float(radius)
        extent = 360.0 if extent is None else float(extent)
        if steps is None:
            steps = 1 + int(min(11 + abs(radius) / 6.0, 59.0) * abs(extent) / 360.0)
        steps = int(steps)
        if steps < 1:
            steps = 1
        turn = extent / steps
        side = 2.0 * radius * _math.sin(_math.radians(turn / 2))
        if radius < 0:
            side, turn = -side, -turn
        self._rotate(turn / 2)
        for _ in range(steps):
            self.forward(side)
            self._rotate(turn)
        self._rotate(-turn / 2)

    def position(self):
        return self._position

    pos = position

    def xcor(self):
        return self._position[0]

    def ycor(self):
        return self._position[1]

    def heading(self):
        return self._angle

    def towards(self, x, y=None):
        if y is None:
            x, y = x
        dx, dy = float(x) - self._position[0], float(y) - self._position[1]
        return round(_math.degrees(_math.atan2(dy, dx)), 10) % 360.0

    def distance(self, x, y=None):
        if y is None:
            x, y = x
        return abs(Vec2D(x, y) - self._position)

    def degrees(self, fullcircle=360.0):
        if fullcircle != 360.0:
            raise TurtleGraphicsError('only degrees are available here')

    # --- the pen ---

    def penup(self):
        self._down = False
        self._line = None

    pu = up = penup

    def pendown(self):
        self._down = True

    pd = down = pendown

    def isdown(self):
        return self._down

    def pensize(self, width=None):
        if width is None:
            return self._pensize
        self._pensize = max(0, float(width))
        self._line = None

    width = pensize

    def pencolor(self, *args):
        if not args:
            return self._pencolor
        self._pencolor = _color(self.screen, args)
        self._line = None
        self.screen._dirty = True

    def fillcolor(self, *args):
        if not args:
            return self._fillcolor
        self._fillcolor = _color(self.screen, args)

    def color(self, *args):
        if not args:
            return self._pencolor, self._fillcolor
        if len(args) == 1 and isinstance(args[0], (tuple, list)) and len(args[0]) == 2 and not isinstance(
                args[0][0], (int, float)):
            args = tuple(args[0])
        if len(args) == 2:
            self.pencolor(args[0])
            self.fillcolor(args[1])
        else:
            self.pencolor(*args)
            self.fillcolor(*args)

    def begin_fill(self):
        # Placed now, below the lines drawn while filling, as with Tk.
        self._fill = self._put(_Fill(self._position, self._fillcolor))
        self._line = None

    def end_fill(self):
        if self._fill is not None:
            self._fill.closed = True
            self._fill = None
            self._line = None
            self.screen._dirty = True
            self.screen._show()

    def filling(self):
        return self._fill is not None

    def dot(self, size=None, *color):
        if size is not None and not isinstance(size, (int, float)):
            color, size = (size,) + color, None
        if size is None:
            size = max(self._pensize + 4, 2 * self._pensize)
        self._put(_Dot(self._position, float(size), _color(self.screen, color) if color else self._pencolor))
        self._line = None
        self.screen._step(0, self._speed)

    def write(self, arg, move=False, align='left', font=('Arial', 8, 'normal')):
        text = str(arg)
        self._put(_Text(self._position, text, align, tuple(font), self._pencolor))
        self._line = None
        if move:
            size = float(tuple(font)[1]) if len(tuple(font)) > 1 else 8.0
            self.forward(len(text) * size * 0.8)
        else:
            self.screen._step(0, self._speed)

    def stamp(self):
        stamp = _Stamp(self._shape_svg())
        self._put(stamp)
        self._line = None
        self.screen._step(0, self._speed)
        return id(stamp)

    # --- how it looks ---

    def shape(self, name=None):
        if name is None:
            return self._shape
        if name not in _SHAPES and name not in ('circle', 'blank'):
            raise TurtleGraphicsError('There is no shape named %s' % name)
        self._shape = name
        self.screen._dirty = True

    def shapesize(self, stretch_wid=None, stretch_len=None, outline=None):
        pass

    turtlesize = shapesize

    def _shape_svg(self):
        x, y = self._position
        if self._shape == 'blank':
            return ''
        if self._shape == 'circle':
            return '<circle cx="%s" cy="%s" r="10" fill="%s" stroke="%s"/>' % (
                _number(x), _number(-y), self._fillcolor, self._pencolor)
        c, s = _math.cos(_math.radians(self._angle)), _math.sin(_math.radians(self._angle))
        points = ' '.join(_number(x + px * c - py * s) + ',' + _number(-(y + px * s + py * c))
                          for px, py in _SHAPES[self._shape])
        return '<polygon points="%s" fill="%s" stroke="%s"/>' % (points, self._fillcolor, self._pencolor)

    def speed(self, speed=None):
        if speed is None:
            return self._speed
        if isinstance(speed, str):
            if speed not in _SPEEDS:
                raise TurtleGraphicsError('bad speed: %r' % (speed,))
            speed = _SPEEDS[speed]
        speed = float(speed)
        self._speed = int(round(speed)) if 0.5 < speed < 10.5 else 0

    def hideturtle(self):
        self._visible = False
        self.screen._dirty = True

    ht = hideturtle

    def showturtle(self):
        self._visible = True
        self.screen._dirty = True

    st = showturtle

    def isvisible(self):
        return self._visible

    # --- starting again ---

    def clear(self):
        self.screen._items = [i for i in self.screen._items if getattr(i, 'owner', None) is not self]
        self._line = None
        self._fill = None
        self.screen._dirty = True

    def reset(self):
        self.clear()
        self._init_state()

    def getscreen(self):
        return self.screen

    def getturtle(self):
        return self

    getpen = getturtle

    def onclick(self, fun, btn=1, add=None):
        pass

    onrelease = ondrag = onclick


class _Stamp:
    def __init__(self, text):
        self.text = text

    def svg(self):
        return self.text


Pen = Turtle
RawTurtle = Turtle
RawPen = Turtle

_default = None


def getturtle():
    """Returns the turtle the module's functions move, made on first use."""
    global _default
    if _default is None:
        _default = Turtle()
    return _default


getpen = getturtle


def _end_of_cell():
    if _screen is not None:
        _screen._end_of_cell()


def _make_function(name, of_screen):
    def function(*args, **kwargs):
        target = Screen() if of_screen else getturtle()
        return getattr(target, name)(*args, **kwargs)

    function.__name__ = name
    return function


_TURTLE_FUNCTIONS = (
    'forward', 'fd', 'back', 'bk', 'backward', 'left', 'lt', 'right', 'rt', 'goto', 'setpos', 'setposition',
    'setx', 'sety', 'setheading', 'seth', 'home', 'circle', 'position', 'pos', 'xcor', 'ycor', 'heading',
    'towards', 'distance', 'degrees', 'penup', 'pu', 'up', 'pendown', 'pd', 'down', 'isdown', 'pensize',
    'width', 'pencolor', 'fillcolor', 'color', 'begin_fill', 'end_fill', 'filling', 'dot', 'write', 'stamp',
    'shape', 'shapesize', 'turtlesize', 'speed', 'hideturtle', 'ht', 'showturtle', 'st', 'isvisible',
    'clear', 'reset', 'ondrag', 'onrelease',
)
_SCREEN_FUNCTIONS = (
    'bgcolor', 'setup', 'screensize', 'window_width', 'window_height', 'colormode', 'tracer', 'delay',
    'update', 'turtles', 'clearscreen', 'resetscreen', 'mode', 'done', 'mainloop', 'exitonclick', 'bye',
    'title', 'listen', 'onkey', 'onkeypress', 'onkeyrelease', 'onscreenclick', 'ontimer', 'textinput',
    'numinput', 'register_shape', 'addshape',
)
for _name in _TURTLE_FUNCTIONS:
    globals()[_name] = _make_function(_name, False)
for _name in _SCREEN_FUNCTIONS:
    globals()[_name] = _make_function(_name, True)
__all__ += list(_TURTLE_FUNCTIONS) + list(_SCREEN_FUNCTIONS)


def getscreen():
    return Screen()


# In CPython, turtle.onclick is the turtle's; the screen's is onscreenclick.
onclick = _make_function('onclick', False)

_candyce.after_run.append(_end_of_cell)
