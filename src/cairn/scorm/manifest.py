"""``imsmanifest.xml`` to a plain description of a SCORM package (CAM book, 3).

The SCORM adapter owns this wire format; the catalog only sees
:class:`Manifest`: the package's version, its default organization's items in
table of contents order (pre-order), and for each launchable item the launch
file, parameters and the values the run-time data model starts from
(mastery score, completion threshold, scaled passing score, time limits,
launch data). Anything malformed or ambiguous refuses the whole package with
a message naming the item or resource at fault.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from cairn.catalog.errors import rejected
from cairn.catalog.paths import UnsafePath, clean_relative
from cairn.scorm import manifest_sequencing as sequencing
from cairn.scorm.manifest_sequencing import ObjectiveSpec
from cairn.scorm.manifest_xml import (
    SCORM12,
    XML_BASE,
    adlcp_attribute,
    adlcp_child_text,
    child,
    child_text,
    children,
    detect_version,
    parse,
    verbatim,
)

TIME_LIMIT_ACTIONS = frozenset({"exit,message", "exit,no message", "continue,message",
                                "continue,no message"})
CMI_TIMESPAN = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")


@dataclass(frozen=True)
class Resource:
    identifier: str
    href: str | None
    is_sco: bool


@dataclass(frozen=True)
class ManifestItem:
    """One ``<item>``: a launchable SCO or asset, or a container of other items."""

    identifier: str
    title: str
    parent: str | None
    depth: int
    is_visible: bool
    resource_identifier: str | None = None
    is_sco: bool = False
    launch_href: str | None = None
    launch_file: str | None = None
    parameters: str | None = None
    mastery_score: float | None = None
    completion_threshold: float | None = None
    completed_by_measure: bool = False
    scaled_passing_score: float | None = None
    max_time_allowed: str | None = None
    time_limit_action: str | None = None
    data_from_lms: str | None = None
    objectives: tuple[ObjectiveSpec, ...] = ()
    sequencing_xml: str | None = None


@dataclass(frozen=True)
class Manifest:
    identifier: str
    standard: str
    edition: str | None
    title: str
    organization_identifier: str | None
    objectives_global_to_system: bool
    shared_data_global_to_system: bool
    organization_sequencing_xml: str | None
    sequencing_collection_xml: str | None
    items: tuple[ManifestItem, ...]

    def launch_files(self) -> dict[str, str]:
        """Each launch file the package must contain, with the first item that needs it."""
        found: dict[str, str] = {}
        for item in self.items:
            if item.launch_file is not None:
                found.setdefault(item.launch_file, item.identifier)
        return found


def parse_manifest(data: bytes) -> Manifest:
    """Parse and check a manifest; raise ``PackageRejected`` naming the first problem."""
    root = parse(data)
    standard, edition = detect_version(root)
    _refuse_duplicate_identifiers(root)
    organization = _default_organization(root)
    walker = _ItemWalker(standard, _resources(root), sequencing.collection_index(root))
    for item in children(organization, "item"):
        walker.walk(item, parent=None, depth=0)
    if not any(item.launch_href for item in walker.items):
        raise rejected("nothing_to_launch", "the default organization has no item that "
                       "launches a resource")
    return Manifest(
        identifier=_identifier(root, "manifest"),
        standard=standard, edition=edition,
        title=child_text(organization, "title") or _identifier(root, "manifest"),
        organization_identifier=organization.get("identifier"),
        objectives_global_to_system=_flag(organization, "objectivesGlobalToSystem"),
        shared_data_global_to_system=_flag(organization, "sharedDataGlobalToSystem"),
        organization_sequencing_xml=verbatim(sequencing.sequencing_of(organization)),
        sequencing_collection_xml=verbatim(child(root, "sequencingCollection")),
        items=tuple(walker.items),
    )


def join_parameters(href: str, parameters: str | None) -> str:
    """Append an item's ``parameters`` to its launch href (CAM 3.4.1.14 / IMS CP best practice)."""
    given = (parameters or "").strip()
    if not given:
        return href
    if given.startswith("#"):
        return href if "#" in href else href + given
    given = given.lstrip("?&")
    if not given:
        return href
    return f"{href}{'&' if '?' in href else '?'}{given}"


def _identifier(element: Any, what: str) -> str:
    value = (element.get("identifier") or "").strip()
    if not value:
        raise rejected("missing_identifier", f"a <{what}> element has no identifier")
    return value


def _refuse_duplicate_identifiers(root: Any) -> None:
    seen: set[str] = set()
    duplicates: list[str] = []
    organizations = child(root, "organizations")
    resources = child(root, "resources")
    elements = [*(organizations.iter() if organizations is not None else ()),
                *(resources.iter() if resources is not None else ())]
    for element in elements:
        if not isinstance(element.tag, str) or element.tag.rsplit("}", 1)[-1] not in (
                "organization", "item", "resource"):
            continue
        identifier = (element.get("identifier") or "").strip()
        if not identifier:
            continue  # refused with a clearer message where the element is read
        if identifier in seen and identifier not in duplicates:
            duplicates.append(identifier)
        seen.add(identifier)
    if duplicates:
        raise rejected("duplicate_identifier", "identifiers must be unique in the manifest; "
                       f"repeated: {', '.join(duplicates)}", identifiers=duplicates)


def _default_organization(root: Any) -> Any:
    organizations = child(root, "organizations")
    found = children(organizations, "organization") if organizations is not None else []
    if organizations is None or not found:
        raise rejected("no_organization", "the manifest has no <organization>, so there is "
                       "nothing to launch")
    wanted = (organizations.get("default") or "").strip()
    if not wanted:
        return found[0]
    for organization in found:
        if organization.get("identifier") == wanted:
            return organization
    raise rejected("unknown_default_organization", f"the default organization '{wanted}' is "
                   "not defined")


def _resources(root: Any) -> dict[str, Resource]:
    resources_element = child(root, "resources")
    if resources_element is None:
        return {}
    base = _join_base(root.get(XML_BASE), resources_element.get(XML_BASE))
    found: dict[str, Resource] = {}
    for element in children(resources_element, "resource"):
        identifier = _identifier(element, "resource")
        href = element.get("href")
        resource_base = _join_base(base, element.get(XML_BASE))
        scorm_type = (adlcp_attribute(element, "scormType") or "asset").lower()
        found[identifier] = Resource(
            identifier=identifier,
            href=posixpath.join(resource_base, href.strip()) if href and href.strip() else None,
            is_sco=scorm_type == "sco",
        )
    return found


def _join_base(*parts: str | None) -> str:
    joined = ""
    for part in parts:
        if part and part.strip():
            joined = posixpath.join(joined, part.strip())
    return joined


def _flag(element: Any, name: str) -> bool:
    for key, value in element.attrib.items():
        if key.rsplit("}", 1)[-1] == name:
            return str(value).strip() != "false"
    return True


class _ItemWalker:
    """Walks the item tree depth-first, turning each ``<item>`` into a ManifestItem."""

    def __init__(self, standard: str, resources: dict[str, Resource],
                 collection: dict[str, Any]) -> None:
        self.standard = standard
        self.resources = resources
        self.collection = collection
        self.items: list[ManifestItem] = []

    def walk(self, element: Any, *, parent: str | None, depth: int) -> None:
        identifier = _identifier(element, "item")
        base = ManifestItem(
            identifier=identifier, title=child_text(element, "title") or identifier,
            parent=parent, depth=depth,
            is_visible=(element.get("isvisible") or "true").strip() != "false",
        )
        reference = (element.get("identifierref") or "").strip()
        self.items.append(self._launchable(element, base, reference) if reference else base)
        for nested in children(element, "item"):
            self.walk(nested, parent=identifier, depth=depth + 1)

    def _launchable(self, element: Any, base: ManifestItem, reference: str) -> ManifestItem:
        identifier = base.identifier
        resource = self.resources.get(reference)
        if resource is None:
            raise rejected("unknown_resource", f"item '{identifier}' refers to resource "
                           f"'{reference}', which the manifest does not define", item=identifier)
        if resource.href is None:
            raise rejected("resource_without_href", f"resource '{reference}' (launched by item "
                           f"'{identifier}') has no href", item=identifier)
        launch_file = _launch_file(resource.href, identifier)
        sequencing_element = sequencing.sequencing_of(element)
        facts = sequencing.facts(sequencing_element, self.collection, identifier)
        is_12 = self.standard == SCORM12
        threshold, by_measure = _completion_threshold(element, identifier)
        return ManifestItem(
            identifier=identifier, title=base.title, parent=base.parent, depth=base.depth,
            is_visible=base.is_visible, resource_identifier=reference, is_sco=resource.is_sco,
            launch_href=resource.href, launch_file=launch_file,
            parameters=(element.get("parameters") or "").strip() or None,
            mastery_score=_mastery_score(element, identifier) if is_12 else None,
            completion_threshold=threshold, completed_by_measure=by_measure,
            scaled_passing_score=facts.scaled_passing_score,
            max_time_allowed=_max_time(element, identifier) if is_12
            else facts.attempt_duration_limit,
            time_limit_action=_time_limit_action(element, identifier),
            data_from_lms=adlcp_child_text(element, "dataFromLMS"),
            objectives=facts.objectives, sequencing_xml=verbatim(sequencing_element),
        )


def _launch_file(href: str, identifier: str) -> str:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        raise rejected("external_launch", f"item '{identifier}' launches '{href}', outside the "
                       "package; Cairn serves content only from the package", item=identifier)
    try:
        return clean_relative(unquote(parts.path))
    except UnsafePath as exc:
        raise rejected("unsafe_path", f"item '{identifier}' launches '{href}', which {exc}",
                       item=identifier) from exc


def _number(text: str | None, *, what: str, identifier: str, low: float, high: float
            ) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        raise rejected("bad_value", f"item '{identifier}': {what} '{text}' is not a number from "
                       f"{low:g} to {high:g}", item=identifier)
    return value


def _mastery_score(element: Any, identifier: str) -> float | None:
    return _number(adlcp_child_text(element, "masteryscore"), what="adlcp:masteryscore",
                   identifier=identifier, low=0, high=100)


def _completion_threshold(element: Any, identifier: str) -> tuple[float | None, bool]:
    """3rd edition: a decimal as text. 4th edition: minProgressMeasure / completedByMeasure."""
    found = next((node for node in element if isinstance(node.tag, str)
                  and node.tag.rsplit("}", 1)[-1].lower() == "completionthreshold"), None)
    if found is None:
        return None, False
    text = "".join(found.itertext()).strip() or found.get("minProgressMeasure") or "1.0"
    threshold = _number(text, what="adlcp:completionThreshold", identifier=identifier,
                        low=0, high=1)
    return threshold, (found.get("completedByMeasure") or "false").strip() == "true"


def _max_time(element: Any, identifier: str) -> str | None:
    value = adlcp_child_text(element, "maxtimeallowed")
    if value is not None and not CMI_TIMESPAN.match(value):
        raise rejected("bad_value", f"item '{identifier}': adlcp:maxtimeallowed '{value}' is not "
                       "a time span HHHH:MM:SS.SS", item=identifier)
    return value


def _time_limit_action(element: Any, identifier: str) -> str | None:
    value = adlcp_child_text(element, "timeLimitAction")
    if value is None:
        return None
    normal = ",".join(part.strip() for part in value.lower().split(","))
    if normal not in TIME_LIMIT_ACTIONS:
        raise rejected("bad_value", f"item '{identifier}': timeLimitAction '{value}' is not one "
                       f"of {', '.join(sorted(TIME_LIMIT_ACTIONS))}", item=identifier)
    return normal
