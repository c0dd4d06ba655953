from parley.web.quiz.routes import blueprint

__all__ = ["blueprint"]
