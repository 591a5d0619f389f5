"""The sandbox platform: a local HTTP server speaking the open platform's protocol over a simulated shop.

It sits above the UI in the layers only so the app can start it in-process in demo mode; it
never imports Qt. It builds its shop with the same generator and seed as the local demo shop.
"""
