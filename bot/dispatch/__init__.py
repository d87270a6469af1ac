"""aiogram glue: the dispatcher (dispatcher.py), middlewares, storage, rendering, typed answers."""
