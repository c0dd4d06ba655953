"""Load courses/<course>/course.yaml and the Markdown lessons of each module folder."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from parley.content.errors import ContentReport
from parley.content.markdown import render
from parley.content.model import Course, Lesson, Module, Objective
from parley.content.rendering import (
    CourseRenders,
    LessonRenderer,
    default_lesson_href,
)
from parley.content.schema import CourseSpec, LessonSpec, ModuleSpec, describe
from parley.content.yamlfile import load_spec, read_text, split_front_matter

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LessonHref = Callable[[str, str], str]


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
class CourseFiles:
    """What was read of a course that can be loaded; its lessons may still be rendering."""

    spec: CourseSpec
    href: Callable[[str], str]
    lessons: dict[str, list | None]  # module id: [(path, lesson spec, body)], None if no folder
    renders: CourseRenders


@dataclass(frozen=True)
class CourseDraft:
    folder: Path
    label: Labeller
    report: ContentReport  # what reading found; added to the caller's report on finishing
    files: CourseFiles | None  # None when the course cannot be loaded at all


def start_courses(
    courses_dir: Path,
    report: ContentReport,
    renderer: LessonRenderer,
    lesson_href: LessonHref = default_lesson_href,
) -> list[CourseDraft]:
    """Read every course folder and start rendering its lessons; finish with finish_courses."""
    label = Labeller(courses_dir)
    if not courses_dir.is_dir():
        report.error(label(courses_dir), "courses folder does not exist")
        return []
    drafts = []
    for folder in sorted(p for p in courses_dir.iterdir() if p.is_dir()):
        if folder.name.startswith((".", "_")):
            continue
        drafts.append(_start_course(folder, label, lesson_href, renderer))
    return drafts


def finish_courses(drafts: list[CourseDraft], report: ContentReport) -> list[Course]:
    """Wait for each draft's lessons and build its course, adding problems to report."""
    courses = []
    for draft in drafts:
        report.problems.extend(draft.report.problems)
        if draft.files is not None:
            courses.append(_finish_course(draft, draft.files, report))
    return courses


def _start_course(
    folder: Path, label: Labeller, lesson_href: LessonHref, renderer: LessonRenderer
) -> CourseDraft:
    report = ContentReport()
    unloadable = CourseDraft(folder, label, report, None)
    course_id = folder.name
    spec_path = folder / "course.yaml"
    if not SLUG.match(course_id):
        report.error(label(folder), "course folder name must be lower-case letters, digits and -")
        return unloadable
    if not spec_path.is_file():
        report.error(label(spec_path), "is missing (every course folder needs one)")
        return unloadable
    _, spec = load_spec(spec_path, CourseSpec, report, label(spec_path))
    if spec is None:
        return unloadable

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
        href.default_for = course_id  # lets other processes and the cache rebuild it

    files = {m.id: _lesson_files(folder / m.id) for m in spec.modules}
    renders = renderer.course(course_id, href, sum(len(p) for p in files.values() if p))
    lessons: dict[str, list | None] = {}
    for module_id, paths in files.items():
        if paths is None:
            report.error(label(spec_path), f"module '{module_id}' has no folder {module_id}/")
            lessons[module_id] = None
            continue
        lessons[module_id] = found = _read_lessons(paths, report, label)
        renders.add([body for _, _, body in found])
    return CourseDraft(folder, label, report, CourseFiles(spec, href, lessons, renders))


def _finish_course(draft: CourseDraft, files: CourseFiles, report: ContentReport) -> Course:
    folder, label, course_id = draft.folder, draft.label, draft.folder.name
    rendered = iter(files.renders.results())
    lessons_seen: dict[str, Path] = {}
    objectives_seen: dict[str, Path] = {}
    modules = []
    built: set[str] = set()
    for module_spec in files.spec.modules:
        if module_spec.id in built:
            continue  # listed twice: reported when read, built once
        built.add(module_spec.id)
        found = files.lessons[module_spec.id]
        if found is None:
            continue
        modules.append(
            _build_module(
                folder,
                course_id,
                module_spec,
                found,
                rendered,
                report,
                label,
                lessons_seen,
                objectives_seen,
            )
        )

    intro_path = folder / "intro.md"
    intro_html = ""
    if intro_path.is_file():
        text = read_text(intro_path, report, label(intro_path))
        intro_html = render(text or "", files.href).html

    lessons = {lesson.id: lesson for module in modules for lesson in module.lessons}
    objectives = {obj.id: obj for lesson in lessons.values() for obj in lesson.objectives}
    course = Course(
        id=course_id,
        title=files.spec.title,
        summary=files.spec.summary,
        intro_html=intro_html,
        modules=tuple(modules),
        lessons_by_id=lessons,
        objectives_by_id=objectives,
    )
    _check_lesson_links(course, report, label)
    return course


def _lesson_files(module_dir: Path) -> list[Path] | None:
    """Return a module folder's lesson files in order, or None if the folder is missing."""
    return sorted(module_dir.glob("*.md")) if module_dir.is_dir() else None


def _read_lessons(paths: list[Path], report: ContentReport, label: Labeller) -> list:
    """Return [(path, lesson spec, body)] of the lesson files that can be read."""
    found = []
    for path in paths:
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
