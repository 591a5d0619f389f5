"""pyqtgraph's curves import the binding's OpenGL modules by name, out of the analysis's sight.

``pyqtgraph.Qt.OpenGLHelpers`` calls ``importlib.import_module`` on QtOpenGL and
QtOpenGLWidgets of the binding in use; the app's binding is PySide6.
"""

hiddenimports = ["PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets"]
