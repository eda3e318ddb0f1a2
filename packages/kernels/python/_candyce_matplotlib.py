# The matplotlib backend of the Pyodide kernel (MPLBACKEND): figures are shown
# as PNG images in the cell's output by _candyce.show_figures().
from matplotlib.backends.backend_agg import FigureCanvasAgg as FigureCanvas
from matplotlib.backend_bases import FigureManagerBase as FigureManager


def show(*args, **kwargs):
    import _candyce
    _candyce.show_figures()
