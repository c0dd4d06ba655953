"""Write small content folders for tests."""

from __future__ import annotations

from pathlib import Path

import yaml

LESSON_BODY = "Intro text.\n\n## First section {#first}\n\nBody.\n\n## Second section\n\nMore.\n"


def write_lesson(path: Path, front: dict | str, body: str = LESSON_BODY) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = front if isinstance(front, str) else yaml.safe_dump(front, sort_keys=False)
    path.write_text(f"---\n{text}---\n{body}", encoding="utf-8")
    return path


def lesson_front(lesson_id: str, *objective_ids: str, title: str | None = None) -> dict:
    return {
        "id": lesson_id,
        "title": title or lesson_id.replace("-", " ").title(),
        "minutes": 5,
        "objectives": [
            {"id": o, "text": f"Objective {o}."} for o in objective_ids or (f"{lesson_id}-o",)
        ],
    }


def course_writer(tmp_path: Path):
    """Return make(course_id, modules, root) writing courses/<id>/; it returns the root."""

    def make(
        course_id: str = "demo",
        modules: dict[str, list[str]] | None = None,
        root: Path | None = None,
    ) -> Path:
        root = root or tmp_path / "courses"
        modules = modules or {"basics": ["first-lesson", "second-lesson"]}
        course_dir = root / course_id
        course_dir.mkdir(parents=True, exist_ok=True)
        spec = {
            "title": f"Course {course_id}",
            "summary": "A course for tests.",
            "modules": [{"id": m, "title": m.title(), "summary": ""} for m in modules],
        }
        (course_dir / "course.yaml").write_text(
            yaml.safe_dump(spec, sort_keys=False), encoding="utf-8"
        )
        for module_id, lessons in modules.items():
            for number, lesson_id in enumerate(lessons, start=1):
                write_lesson(
                    course_dir / module_id / f"{number:02d}-{lesson_id}.md", lesson_front(lesson_id)
                )
        return root

    return make
