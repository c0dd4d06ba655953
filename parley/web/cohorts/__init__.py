from parley.web.cohorts.routes import blueprint

__all__ = ["blueprint"]
