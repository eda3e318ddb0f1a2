# The Python side of the Pyodide kernel, installed in the worker as the module
# `_candyce`: output streams, display() and an IPython.display shim, input(),
# an interruptible time.sleep, and the cell runner. It talks to the worker
# through the JavaScript module `_candyce_host` (see src/pyodide-worker.ts).
# Embedded into src/pyodide-python.ts by scripts/embed-python.mjs.
import base64, builtins, html, io, json, linecache, os, pprint, re, signal, sys, time, traceback, types, uuid
import __main__
import _candyce_host as _host
from pyodide.code import eval_code_async

_ns = __main__.__dict__
_SIGNALS = bool(_host.signals)


class _Buffer:
    # Output waits here and goes to the page in chunks: a call into JavaScript
    # costs about 10 µs, a print a fraction of that. The page asks for what is
    # buffered with SIGUSR1 while a cell runs; without shared memory, a write
    # 50 ms after the last hand-over hands everything over.
    def __init__(self):
        self.name = None
        self.parts = []
        self.size = 0
        self.last = 0.0
        self.busy = False

    def add(self, name, text):
        if name != self.name:
            self.flush()
            self.name = name
        self.parts.append(text)
        self.size += len(text)
        if self.size >= 16384:
            self.flush()
        elif not _SIGNALS and time.monotonic() - self.last >= 0.05:
            self.flush()

    def flush(self):
        if self.busy:
            return
        self.busy = True
        try:
            parts = self.parts
            self.parts = []
            self.size = 0
            if parts:
                _host.stream(self.name, ''.join(parts))
            if not _SIGNALS:
                self.last = time.monotonic()
        finally:
            self.busy = False


_buffer = _Buffer()


class _Output(io.TextIOBase):
    encoding = 'utf-8'
    errors = 'strict'

    def __init__(self, name):
        super().__init__()
        self._name = name

    @property
    def name(self):
        return '<' + self._name + '>'

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError('write() argument must be str, not ' + type(s).__name__)
        if s:
            _buffer.add(self._name, s)
        return len(s)

    def flush(self):
        _buffer.flush()


sys.stdout = _Output('stdout')
sys.stderr = _Output('stderr')
if _SIGNALS:
    signal.signal(signal.SIGUSR1, lambda signum, frame: _buffer.flush())


def _on_interrupt(signum, frame):
    # The main thread repeats an interrupt until it is taken (see Slot.interruptTaken):
    # only the first of a run stops it, a repeat arriving during the unwinding is dropped.
    if _host.take_interrupt():
        raise KeyboardInterrupt


if _SIGNALS:
    signal.signal(signal.SIGINT, _on_interrupt)


class StdinNotImplementedError(RuntimeError):
    """Raised by input() when no one can answer it."""


def _read(prompt, password):
    problem = _host.stdin_problem()
    if problem:
        raise StdinNotImplementedError(problem)
    _buffer.flush()
    answer = _host.input(str(prompt), bool(password))
    if answer is None:
        raise KeyboardInterrupt
    return answer


def input(prompt=''):
    return _read(prompt, False)


builtins.input = input


class _Input(io.TextIOBase):
    encoding = 'utf-8'

    def readable(self):
        return True

    def readline(self, size=-1):
        return _read('', False) + '\n'

    def read(self, size=-1):
        return self.readline()


sys.stdin = _Input()

import getpass

getpass.getpass = lambda prompt='Password: ', stream=None: _read(prompt, True)

_original_sleep = time.sleep


def sleep(secs):
    secs = float(secs)
    if secs < 0:
        raise ValueError('sleep length must be non-negative')
    _buffer.flush()
    if not _SIGNALS:
        return _original_sleep(secs)
    if not _host.sleep(secs):
        raise KeyboardInterrupt


time.sleep = sleep

# --- display -----------------------------------------------------------------

_BASE64 = frozenset(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'application/pdf'])
_REPRS = (
    ('text/html', '_repr_html_'),
    ('text/markdown', '_repr_markdown_'),
    ('text/latex', '_repr_latex_'),
    ('image/svg+xml', '_repr_svg_'),
    ('image/png', '_repr_png_'),
    ('image/jpeg', '_repr_jpeg_'),
    ('image/gif', '_repr_gif_'),
    ('application/json', '_repr_json_'),
    ('application/pdf', '_repr_pdf_'),
    ('application/javascript', '_repr_javascript_'),
)


def _warn(obj, method, error):
    print(type(obj).__name__ + '.' + method + '() failed: ' + repr(error), file=sys.stderr)


def _plain(obj):
    try:
        if isinstance(obj, (dict, list, tuple, set, frozenset)):
            return pprint.pformat(obj)
        return repr(obj)
    except Exception as error:
        return '<repr of ' + type(obj).__name__ + ' failed: ' + repr(error) + '>'


def _normalize(mime, value):
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value)
        if mime in _BASE64:
            return base64.b64encode(value).decode('ascii')
        return value.decode('utf-8', 'replace')
    if mime == 'application/json' or mime.endswith('+json'):
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value
    return value if isinstance(value, str) else str(value)


def format_bundle(obj, include=None, exclude=None):
    """Returns the MIME bundle and metadata of obj, as IPython's formatter does."""
    data, metadata = {}, {}
    if not isinstance(obj, type):
        method = getattr(obj, '_repr_mimebundle_', None)
        if callable(method):
            try:
                try:
                    result = method(include=include, exclude=exclude)
                except TypeError:
                    result = method()
                if isinstance(result, tuple):
                    result, extra = result
                    metadata.update(extra or {})
                if isinstance(result, dict):
                    data.update(result)
            except Exception as error:
                _warn(obj, '_repr_mimebundle_', error)
        for mime, name in _REPRS:
            if mime in data:
                continue
            method = getattr(obj, name, None)
            if not callable(method):
                continue
            try:
                value = method()
            except NotImplementedError:
                continue
            except Exception as error:
                _warn(obj, name, error)
                continue
            if value is None:
                continue
            if isinstance(value, tuple) and len(value) == 2:
                value, extra = value
                if extra:
                    metadata[mime] = extra
            data[mime] = value
    if 'text/plain' not in data:
        data['text/plain'] = _plain(obj)
    bundle = {}
    for mime, value in data.items():
        if include is not None and mime not in include:
            continue
        if exclude is not None and mime in exclude:
            continue
        bundle[mime] = _normalize(mime, value)
    return bundle, metadata


def _publish(msg_type, content):
    _buffer.flush()
    _host.publish(msg_type, json.dumps(content, default=str))


def display(*objs, include=None, exclude=None, metadata=None, transient=None, display_id=None,
            raw=False, clear=False, update=False, **kwargs):
    """Shows each object in the cell's output with its richest representations."""
    if clear:
        clear_output(wait=True)
    transient = dict(transient or {})
    if display_id is True:
        display_id = uuid.uuid4().hex
    if display_id:
        transient['display_id'] = str(display_id)
    msg_type = 'update_display_data' if update else 'display_data'
    for obj in objs:
        if raw:
            data, md = dict(obj), dict(metadata or {})
        else:
            data, md = format_bundle(obj, include, exclude)
            if metadata:
                md.update(metadata)
        _publish(msg_type, {'data': data, 'metadata': md, 'transient': transient})
    if display_id and not update:
        return DisplayHandle(display_id)
    return None


def update_display(obj, *, display_id, **kwargs):
    """Replaces what an earlier display(..., display_id=...) shows."""
    kwargs['update'] = True
    display(obj, display_id=display_id, **kwargs)


def clear_output(wait=False):
    """Clears the cell's output, at once or (wait=True) when the next output comes."""
    _publish('clear_output', {'wait': bool(wait)})


class DisplayHandle:
    def __init__(self, display_id=None):
        self.display_id = display_id or uuid.uuid4().hex

    def __repr__(self):
        return '<DisplayHandle display_id=' + str(self.display_id) + '>'

    def display(self, obj, **kwargs):
        display(obj, display_id=self.display_id, **kwargs)

    def update(self, obj, **kwargs):
        update_display(obj, display_id=self.display_id, **kwargs)


class DisplayObject:
    _binary = False

    def __init__(self, data=None, url=None, filename=None, metadata=None):
        if isinstance(data, str) and url is None and filename is None:
            if data.startswith(('http://', 'https://')):
                url, data = data, None
            elif len(data) < 1000 and '\n' not in data and os.path.isfile(data):
                filename, data = data, None
        self.data = data
        self.url = url
        self.filename = filename
        self.metadata = metadata or {}
        if filename is not None:
            with open(filename, 'rb' if self._binary else 'r') as f:
                self.data = f.read()

    def __repr__(self):
        return '<IPython.core.display.' + type(self).__name__ + ' object>'

    def _with_metadata(self, value):
        return (value, dict(self.metadata)) if self.metadata else value


class HTML(DisplayObject):
    def _repr_html_(self):
        return self._with_metadata(str(self.data or ''))


class Markdown(DisplayObject):
    def _repr_markdown_(self):
        return self._with_metadata(str(self.data or ''))


class Latex(DisplayObject):
    def _repr_latex_(self):
        return self._with_metadata(str(self.data or ''))


class Math(DisplayObject):
    def _repr_latex_(self):
        return self._with_metadata('$\\displaystyle ' + str(self.data or '').strip('$') + '$')


class SVG(DisplayObject):
    def _repr_svg_(self):
        data = self.data
        if isinstance(data, bytes):
            data = data.decode('utf-8', 'replace')
        return self._with_metadata(str(data or ''))


class Javascript(DisplayObject):
    def _repr_javascript_(self):
        return self._with_metadata(str(self.data or ''))


class Pretty(DisplayObject):
    def __repr__(self):
        return str(self.data)


class JSON(DisplayObject):
    def __init__(self, data=None, url=None, filename=None, expanded=False, metadata=None, root='root', **kwargs):
        super().__init__(data, url, filename, metadata)
        if isinstance(self.data, str):
            self.data = json.loads(self.data)
        self.expanded = expanded
        self.root = root

    def _repr_json_(self):
        return self.data, {'expanded': self.expanded, 'root': self.root}


_IMAGE_TYPES = {'png': 'image/png', 'jpeg': 'image/jpeg', 'jpg': 'image/jpeg', 'gif': 'image/gif', 'webp': 'image/webp'}


class Image(DisplayObject):
    _binary = True

    def __init__(self, data=None, url=None, filename=None, format=None, embed=None, width=None, height=None,
                 retina=False, unconfined=False, metadata=None, alt=None):
        super().__init__(data, url, filename, metadata)
        self.format = (format or self._guess() or 'png').lower()
        self.embed = embed if embed is not None else self.url is None
        self.width = width
        self.height = height
        self.alt = alt

    def _guess(self):
        name = self.filename or self.url or ''
        ext = name.rsplit('.', 1)[-1].lower() if '.' in name else ''
        if ext in _IMAGE_TYPES:
            return ext
        data = self.data if isinstance(self.data, bytes) else b''
        if data.startswith(b'\x89PNG'):
            return 'png'
        if data.startswith(b'\xff\xd8'):
            return 'jpeg'
        if data.startswith(b'GIF8'):
            return 'gif'
        if data[:4] == b'RIFF' and data[8:12] == b'WEBP':
            return 'webp'
        return None

    def _repr_mimebundle_(self, include=None, exclude=None):
        md = dict(self.metadata)
        for key in ('width', 'height', 'alt'):
            if getattr(self, key) is not None:
                md[key] = getattr(self, key)
        if not self.embed:
            attrs = ''.join(' ' + k + '="' + html.escape(str(v)) + '"' for k, v in md.items())
            return {'text/html': '<img src="' + html.escape(str(self.url)) + '"' + attrs + '/>'}, {}
        mime = _IMAGE_TYPES.get(self.format, 'image/png')
        return {mime: self.data, 'text/plain': repr(self)}, ({mime: md} if md else {})


def _install_ipython_shim():
    # Teaching notebooks say "from IPython.display import display, HTML": give
    # them what they expect when the real IPython is not installed.
    module = types.ModuleType('IPython.display')
    for name in ('display', 'update_display', 'clear_output', 'DisplayHandle', 'DisplayObject', 'HTML', 'Markdown',
                 'Latex', 'Math', 'SVG', 'JSON', 'Javascript', 'Pretty', 'Image'):
        setattr(module, name, globals()[name])
    core = types.ModuleType('IPython.core')
    core.display = module
    ipython = types.ModuleType('IPython')
    ipython.display = module
    ipython.core = core
    ipython.get_ipython = lambda: None
    for name, value in (('IPython', ipython), ('IPython.display', module), ('IPython.core', core),
                        ('IPython.core.display', module)):
        sys.modules.setdefault(name, value)
    builtins.display = display


_install_ipython_shim()


def show_figures():
    """Displays the open matplotlib figures as PNG images and closes them, as the inline backend does."""
    plt = sys.modules.get('matplotlib.pyplot')
    if plt is None:
        return
    try:
        for number in plt.get_fignums():
            figure = plt.figure(number)
            buffer = io.BytesIO()
            figure.savefig(buffer, format='png', bbox_inches='tight')
            display(Image(data=buffer.getvalue(), format='png'))
        plt.close('all')
    except Exception as error:
        print('The figures could not be shown: ' + repr(error), file=sys.stderr)


# --- running cells ------------------------------------------------------------

# Called when a cell ends, well or not (the turtle shows its last frame).
after_run = []


def _after_run():
    for hook in list(after_run):
        try:
            hook()
        except BaseException as error:
            print('After the cell: ' + repr(error), file=sys.stderr)


def _error(error, filename):
    # The traceback starts at the cell: the frames of this runner and of
    # Pyodide say nothing to a pupil.
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != filename:
        tb = tb.tb_next
    if isinstance(error, SyntaxError) or tb is None:
        lines = traceback.format_exception_only(type(error), error)
    else:
        lines = traceback.format_exception(type(error), error, tb)
    text = ''.join(lines).rstrip('\n')
    content = {'ename': type(error).__name__, 'evalue': str(error), 'traceback': text.split('\n')}
    if isinstance(error, ModuleNotFoundError) and error.name:
        # Say what to do, in the class's language: numpy and the like are not
        # in the core distribution served by default.
        advice = _host.module_missing(str(error.name).split('.')[0])
        if advice:
            content['traceback'] += ['', advice]
    return content


async def run(code, count):
    """Runs a cell; returns its reply as JSON. Outputs go to the host as they come."""
    filename = 'Cell In[' + str(count) + ']'
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    try:
        value = await eval_code_async(code, _ns, filename=filename)
        if value is not None:
            _ns['_'] = value
            data, md = format_bundle(value)
            _publish('execute_result', {'execution_count': count, 'data': data, 'metadata': md})
        show_figures()
        _after_run()
        _buffer.flush()
        return json.dumps({'status': 'ok'})
    except BaseException as error:
        _after_run()
        content = _error(error, filename)
        _publish('error', content)
        content['status'] = 'error'
        return json.dumps(content)


def complete(code, cursor):
    """Returns completions of the name before the cursor, as JSON."""
    import rlcompleter
    token = re.search(r'[\w.]*$', code[:cursor]).group(0)
    matches = []
    if token:
        completer = rlcompleter.Completer(_ns)
        for state in range(500):
            match = completer.complete(token, state)
            if match is None:
                break
            match = match.rstrip('(')
            if match not in matches:
                matches.append(match)
    return json.dumps({'matches': matches, 'cursor_start': cursor - len(token), 'cursor_end': cursor})


def inspect(code, cursor, detail):
    """Returns the documentation of the name at the cursor, as JSON; looks names up without calling anything."""
    import pydoc
    left = re.search(r'[\w.]*$', code[:cursor]).group(0)
    right = re.match(r'\w*', code[cursor:]).group(0)
    parts = (left + right).strip('.').split('.')
    missing = object()
    obj = _ns.get(parts[0], getattr(builtins, parts[0], missing)) if parts[0] else missing
    for part in parts[1:]:
        if obj is missing:
            break
        obj = getattr(obj, part, missing)
    if obj is missing:
        return json.dumps({'found': False, 'data': {}})
    text = pydoc.render_doc(obj, title='%s', renderer=pydoc.plaintext)
    return json.dumps({'found': True, 'data': {'text/plain': text}})
