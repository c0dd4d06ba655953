"""Load courses/<course>/course.yaml and the Markdown lessons of each module folder."""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from pydantic import ValidationError

from parley.content.errors import ContentReport
from parley.content.markdown import render
from parley.content.model import Course, Lesson, Module, Objective
from parley.content.render_cache import RenderCache, body_key, rendering_stamp
from parley.content.schema import CourseSpec, LessonSpec, ModuleSpec, describe
from parley.content.yamlfile import load_spec, read_text, split_front_matter

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LessonHref = Callable[[str, str], str]


def default_lesson_href(course_id: str, lesson_id: str) -> str:
    return f"/courses/{course_id}/lessons/{lesson_id}"


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


def load_courses(
    courses_dir: Path,
    report: ContentReport,
    lesson_href: LessonHref = default_lesson_href,
    cache: RenderCache | None = None,
) -> list[Course]:
    """Load every course folder under courses_dir, adding problems to report."""
    label = Labeller(courses_dir)
    if not courses_dir.is_dir():
        report.error(label(courses_dir), "courses folder does not exist")
        return []
    courses = []
    for folder in sorted(p for p in courses_dir.iterdir() if p.is_dir()):
        if folder.name.startswith((".", "_")):
            continue
        course = _load_course(folder, report, label, lesson_href, cache)
        if course is not None:
            courses.append(course)
    return courses


def _load_course(
    folder: Path,
    report: ContentReport,
    label: Labeller,
    lesson_href: LessonHref,
    cache: RenderCache | None = None,
) -> Course | None:
    course_id = folder.name
    spec_path = folder / "course.yaml"
    if not SLUG.match(course_id):
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

    def href(lesson_id: str) -> str:
        return lesson_href(course_id, lesson_id)

    if lesson_href is default_lesson_href:
        href.default_for = course_id  # lets render_many rebuild it in other processes

    read = {m.id: _read_module(folder, m, report, label) for m in spec.modules}
    bodies = [body for found in read.values() if found for _, _, body in found]
    rendered = iter(render_many(bodies, course_id, href, cache))
    lessons_seen: dict[str, Path] = {}
    objectives_seen: dict[str, Path] = {}
    modules = []
    for module_spec in spec.modules:
        if read[module_spec.id] is None:
            continue
        module = _build_module(
            folder,
            course_id,
            module_spec,
            read[module_spec.id],
            rendered,
            report,
            label,
            lessons_seen,
            objectives_seen,
        )
        if module is not None:
            modules.append(module)

    intro_path = folder / "intro.md"
    intro_html = ""
    if intro_path.is_file():
        text = read_text(intro_path, report, label(intro_path))
        intro_html = render(text or "", href).html

    lessons = {lesson.id: lesson for module in modules for lesson in module.lessons}
    objectives = {obj.id: obj for lesson in lessons.values() for obj in lesson.objectives}
    course = Course(
        id=course_id,
        title=spec.title,
        summary=spec.summary,
        intro_html=intro_html,
        modules=tuple(modules),
        lessons_by_id=lessons,
        objectives_by_id=objectives,
    )
    _check_lesson_links(course, report, label)
    return course


def _read_module(folder: Path, spec: ModuleSpec, report: ContentReport, label: Labeller):
    """Return [(path, lesson spec, body)] of a module folder, or None if it is missing."""
    module_dir = folder / spec.id
    if not module_dir.is_dir():
        report.error(label(folder / "course.yaml"), f"module '{spec.id}' has no folder {spec.id}/")
        return None
    found = []
    for path in sorted(module_dir.glob("*.md")):
        read = _read_lesson(path, report, label)
        if read is not None:
            found.append((path, *read))
    return found


def _build_module(
    folder: Path,
    course_id: str,
    spec: ModuleSpec,
    found: list,
    rendered_bodies,
    report: ContentReport,
    label: Labeller,
    lessons_seen: dict[str, Path],
    objectives_seen: dict[str, Path],
) -> Module:
    module_dir = folder / spec.id
    lessons = []
    for path, lesson_spec, _ in found:
        rendered = next(rendered_bodies)
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


PARALLEL_FROM = 200  # lessons; below this a process pool costs more than it saves


def _render_for_course(course_id: str, body: str):
    return render(body, partial(default_lesson_href, course_id))


def render_many(
    bodies: list[str],
    course_id: str,
    href: Callable[[str], str],
    cache: RenderCache | None = None,
):
    """Render lesson bodies, reusing those a cache kept and using every core for many."""
    uses_default = getattr(href, "default_for", None) == course_id
    if cache is None or not uses_default:
        return _render_bodies(bodies, course_id, href, uses_default)
    stamp = rendering_stamp(default_lesson_href(course_id, ""))
    kept = cache.read(course_id, stamp)
    keys = [body_key(body) for body in bodies]
    missing = {key: body for key, body in zip(keys, bodies, strict=True) if key not in kept}
    fresh = _render_bodies(list(missing.values()), course_id, href, uses_default)
    found = {**kept, **dict(zip(missing, fresh, strict=True))}
    if missing or len(kept) != len(set(keys)):
        cache.write(course_id, stamp, {key: found[key] for key in keys})
    return [found[key] for key in keys]


def _render_bodies(bodies: list[str], course_id: str, href, uses_default: bool):
    if len(bodies) < PARALLEL_FROM or not uses_default or (os.cpu_count() or 1) < 2:
        return [render(body, href) for body in bodies]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=os.cpu_count(), mp_context=context) as pool:
        return list(pool.map(partial(_render_for_course, course_id), bodies, chunksize=16))


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
