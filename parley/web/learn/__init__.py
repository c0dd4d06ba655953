from parley.web.learn.routes import blueprint

__all__ = ["blueprint"]
