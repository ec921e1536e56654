"""Reading ``imsmanifest.xml`` safely, and telling SCORM 1.2 from 2004 and its edition.

The parser never fetches anything (no network, no DTD, no external
entities), refuses documents that declare a DTD, and keeps lxml's limits on
huge trees. Element lookups go by local name, because real packages mix
namespace spellings; the SCORM version comes from ``schemaversion`` first and
from the namespaces the document declares when that is missing.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from cairn.catalog.errors import rejected

CP_12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
CP_2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

SCORM12 = "scorm12"
SCORM2004 = "scorm2004"

# schemaversion (whitespace collapsed, lower case) -> (standard, edition)
SCHEMA_VERSIONS: dict[str, tuple[str, str | None]] = {
    "1.2": (SCORM12, None),
    "cam 1.3": (SCORM2004, "2nd"),
    "2004 2nd edition": (SCORM2004, "2nd"),
    "2004 3rd edition": (SCORM2004, "3rd"),
    "2004 4th edition": (SCORM2004, "4th"),
}
SUPPORTED = "SCORM 1.2 and SCORM 2004 2nd, 3rd and 4th editions"


def parse(data: bytes) -> Any:
    """Parse the manifest bytes into an lxml root element, or refuse the package."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False, dtd_validation=False, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise rejected("manifest_not_well_formed",
                       f"imsmanifest.xml is not well-formed XML: {exc}") from exc
    if root.getroottree().docinfo.internalDTD is not None:
        raise rejected("manifest_dtd", "imsmanifest.xml declares a DTD; manifests must not "
                       "(entities are never expanded)")
    if local_name(root) != "manifest":
        raise rejected("manifest_root", f"imsmanifest.xml's root element is "
                       f"<{local_name(root)}>, not <manifest>")
    return root


def local_name(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element: Any, name: str) -> list[Any]:
    """Child elements called ``name`` in any namespace (comments are skipped)."""
    return [child for child in element if local_name(child) == name]


def child(element: Any, name: str) -> Any | None:
    found = children(element, name)
    return found[0] if found else None


def child_text(element: Any, name: str) -> str | None:
    found = child(element, name)
    if found is None:
        return None
    text = "".join(found.itertext()).strip()
    return text or None


def adlcp_attribute(element: Any, name: str) -> str | None:
    """An ``adlcp:`` attribute, whatever its case (1.2 ``scormtype``, 2004 ``scormType``)."""
    wanted = name.lower()
    for key, value in element.attrib.items():
        if key.startswith("{") and key.rsplit("}", 1)[-1].lower() == wanted:
            return str(value).strip()
    return None


def adlcp_child_text(element: Any, name: str) -> str | None:
    """The text of an ``adlcp:`` child element, whatever its case."""
    wanted = name.lower()
    for found in element:
        if local_name(found).lower() == wanted:
            text = "".join(found.itertext()).strip()
            return text or None
    return None


def verbatim(element: Any | None) -> str | None:
    """The element as XML text, with the namespace declarations it needs, for later engines."""
    if element is None:
        return None
    return str(etree.tostring(element, encoding="unicode", with_tail=False))


def detect_version(root: Any) -> tuple[str, str | None]:
    """Return ``(standard, edition)``; refuse versions Cairn does not import, naming them."""
    metadata = child(root, "metadata")
    declared = child_text(metadata, "schemaversion") if metadata is not None else None
    if declared is not None:
        key = " ".join(declared.lower().split())
        if key not in SCHEMA_VERSIONS:
            raise rejected("unsupported_schema_version", f"schemaversion '{declared}' is not "
                           f"supported; Cairn imports {SUPPORTED}", schemaversion=declared)
        return SCHEMA_VERSIONS[key]
    namespaces = _declared_namespaces(root)
    if namespaces & {CP_2004, ADLCP_2004, IMSSS}:
        return SCORM2004, None
    if namespaces & {CP_12, ADLCP_12}:
        return SCORM12, None
    raise rejected("unsupported_schema_version", "imsmanifest.xml has no schemaversion and "
                   f"no SCORM namespace, so its version is unknown; Cairn imports {SUPPORTED}")


def _declared_namespaces(root: Any) -> set[str]:
    found: set[str] = set()
    for element in root.iter():
        if isinstance(element.tag, str):
            found.update(uri for uri in element.nsmap.values() if uri)
    return found
