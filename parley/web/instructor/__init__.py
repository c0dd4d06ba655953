from parley.web.instructor.routes import blueprint

__all__ = ["blueprint"]
