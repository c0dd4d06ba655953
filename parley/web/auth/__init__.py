from parley.web.auth.routes import blueprint

__all__ = ["blueprint"]
