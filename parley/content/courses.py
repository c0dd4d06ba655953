"""Load courses/<course>/course.yaml and the Markdown lessons of each module folder."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from parley.content.errors import ContentReport
from parley.content.markdown import Rendered, render
from parley.content.model import Course, Lesson, Module, Objective
from parley.content.render_cache import RenderCache
from parley.content.rendering import render_lessons
from parley.content.schema import CourseSpec, LessonSpec, ModuleSpec, describe
from parley.content.yamlfile import load_spec, read_text, split_front_matter

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class Labeller:
    """Names files relative to the folder above the content root, as authors see them."""

    def __init__(self, root: Path) -> None:
        self.base = root.resolve().parent
        self.plain_base = root.absolute().parent

    def __call__(self, path: Path) -> str:
        try:  # paths are built under the root, so most need no symlink resolution
            return str(path.absolute().relative_to(self.plain_base))
        except ValueError:
            pass
        try:
            return str(path.resolve().relative_to(self.base))
        except ValueError:
            return str(path)


@dataclass(frozen=True)
class LessonFile:
    """A lesson file as read: its path, front matter and Markdown body."""

    path: Path
    spec: LessonSpec
    body: str


def load_courses(
    courses_dir: Path, report: ContentReport, cache: RenderCache | None = None
) -> list[Course]:
    """Load every course folder (rendering lessons not kept in cache); report problems."""
    label = Labeller(courses_dir)
    if not courses_dir.is_dir():
        report.error(label(courses_dir), "courses folder does not exist")
        return []
    courses = []
    for folder in sorted(p for p in courses_dir.iterdir() if p.is_dir()):
        if folder.name.startswith((".", "_")):
            continue
        course = _load_course(folder, report, label, cache)
        if course is not None:
            courses.append(course)
    return courses


def _load_course(
    folder: Path, report: ContentReport, label: Labeller, cache: RenderCache | None
) -> Course | None:
    """Read course.yaml and the lessons, render them (kept ones from cache), build the course."""
    course_id = folder.name
    spec = _read_course_spec(folder, report, label)
    if spec is None:
        return None
    module_specs: dict[str, ModuleSpec] = {}
    for module_spec in spec.modules:  # a module listed twice is built once, as first listed
        module_specs.setdefault(module_spec.id, module_spec)

    lesson_files: dict[str, list[LessonFile]] = {}
    for module_id in module_specs:
        module_dir = folder / module_id
        if not module_dir.is_dir():
            report.error(
                label(folder / "course.yaml"), f"module '{module_id}' has no folder {module_id}/"
            )
            continue
        lesson_files[module_id] = _read_lessons(sorted(module_dir.glob("*.md")), report, label)

    bodies = [lesson.body for found in lesson_files.values() for lesson in found]
    rendered = iter(render_lessons(course_id, bodies, cache))
    lessons_seen: dict[str, Path] = {}
    objectives_seen: dict[str, Path] = {}
    modules = [
        _build_module(
            folder,
            course_id,
            module_specs[module_id],
            found,
            rendered,
            report,
            label,
            lessons_seen,
            objectives_seen,
        )
        for module_id, found in lesson_files.items()
    ]
    lessons = {lesson.id: lesson for module in modules for lesson in module.lessons}
    objectives = {obj.id: obj for lesson in lessons.values() for obj in lesson.objectives}
    course = Course(
        id=course_id,
        title=spec.title,
        summary=spec.summary,
        intro_html=_intro_html(folder, report, label),
        modules=tuple(modules),
        lessons_by_id=lessons,
        objectives_by_id=objectives,
    )
    _check_lesson_links(course, report, label)
    return course


def _read_course_spec(folder: Path, report: ContentReport, label: Labeller) -> CourseSpec | None:
    """Read course.yaml; report it and module folders it does not list."""
    spec_path = folder / "course.yaml"
    if not SLUG.match(folder.name):
        report.error(label(folder), "course folder name must be lower-case letters, digits and -")
        return None
    if not spec_path.is_file():
        report.error(label(spec_path), "is missing (every course folder needs one)")
        return None
    _, spec = load_spec(spec_path, CourseSpec, report, label(spec_path))
    if spec is None:
        return None
    listed = [m.id for m in spec.modules]
    for duplicate in sorted({m for m in listed if listed.count(m) > 1}):
        report.error(label(spec_path), f"module '{duplicate}' is listed twice")
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        if sub.name not in listed and not sub.name.startswith((".", "_")):
            report.error(
                label(sub),
                f"unknown module '{sub.name}': the folder is not listed under modules "
                f"in {label(spec_path)}",
            )
    return spec


def _intro_html(folder: Path, report: ContentReport, label: Labeller) -> str:
    """Render the optional intro.md; empty when there is none."""
    intro_path = folder / "intro.md"
    if not intro_path.is_file():
        return ""
    text = read_text(intro_path, report, label(intro_path))
    return render(text or "", folder.name).html


def _read_lessons(paths: list[Path], report: ContentReport, label: Labeller) -> list[LessonFile]:
    """Return the lesson files that can be read, reporting those that cannot."""
    found = []
    for path in paths:
        read = _read_lesson(path, report, label)
        if read is not None:
            found.append(LessonFile(path, *read))
    return found


def _build_module(
    folder: Path,
    course_id: str,
    spec: ModuleSpec,
    found: list[LessonFile],
    rendered_bodies: Iterator[Rendered],
    report: ContentReport,
    label: Labeller,
    lessons_seen: dict[str, Path],
    objectives_seen: dict[str, Path],
) -> Module:
    module_dir = folder / spec.id
    lessons = []
    for lesson_file in found:
        path, lesson_spec, rendered = lesson_file.path, lesson_file.spec, next(rendered_bodies)
        lesson = Lesson(
            id=lesson_spec.id,
            title=lesson_spec.title,
            minutes=lesson_spec.minutes,
            objectives=tuple(
                Objective(o.id, o.text, lesson_spec.id) for o in lesson_spec.objectives
            ),
            html=rendered.html,
            toc=rendered.toc,
            course_id=course_id,
            module_id=spec.id,
            source=path,
            links=rendered.lesson_links,
        )
        if lesson.id in lessons_seen:
            report.error(
                label(path),
                f"duplicate lesson id '{lesson.id}' (also in {label(lessons_seen[lesson.id])})",
            )
            continue
        lessons_seen[lesson.id] = path
        for objective in lesson.objectives:
            if objective.id in objectives_seen:
                report.error(
                    label(path),
                    f"duplicate objective id '{objective.id}' "
                    f"(also in {label(objectives_seen[objective.id])})",
                )
            objectives_seen.setdefault(objective.id, path)
        lessons.append(lesson)
    if not lessons and not any(p.path.startswith(label(module_dir)) for p in report.problems):
        report.error(label(module_dir), "module has no lessons (*.md files)")
    return Module(id=spec.id, title=spec.title, summary=spec.summary, lessons=tuple(lessons))


def _read_lesson(path: Path, report: ContentReport, label: Labeller):
    """Return (front matter spec, Markdown body), or None after reporting the problem."""
    name = label(path)
    text = read_text(path, report, name)
    if text is None:
        return None
    front, body = split_front_matter(text, report, name)
    if front is None:
        return None
    try:
        spec = LessonSpec.model_validate(front)
    except ValidationError as exc:
        report.error(name, "front matter: " + describe(exc))
        return None
    ids = [o.id for o in spec.objectives]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        report.error(name, f"objective id '{duplicate}' is used twice in this lesson")
    return spec, body


def _check_lesson_links(course: Course, report: ContentReport, label: Labeller) -> None:
    for lesson in course.lessons:
        for target, anchor in lesson.links:
            other = course.lessons_by_id.get(target)
            if other is None:
                report.error(label(lesson.source), f"links to unknown lesson '{target}.md'")
            elif anchor and anchor not in other.anchors:
                report.error(
                    label(lesson.source),
                    f"links to '{target}.md#{anchor}', but that lesson has no heading "
                    f"with anchor '{anchor}'",
                )
