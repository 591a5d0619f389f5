"""pyqtgraph's curves import the binding's QtOpenGL and QtOpenGLWidgets by name (``importlib``),
out of the analysis's sight; the app's binding is PySide6."""

hiddenimports = ["PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets"]
