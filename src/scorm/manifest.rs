//! `imsmanifest.xml` for SCORM 1.2 and SCORM 2004 4th Edition.
//!
//! Moodle's parser is not namespace-aware: content-packaging elements are unprefixed and the
//! extensions use exactly `adlcp:` and `imsss:`. Text is raw UTF-8 with only the five named
//! entities (Moodle turns numeric character references into visible `&amp;#233;`).
//! Identifiers come from the module id alone, so they survive new policy versions: Moodle
//! drops learners' tracking data when an item identifier changes.

use super::{Module, Version};

/// Schema files shipped at the root of every package, as the specification expects.
pub const SCORM12_SCHEMAS: &[(&str, &[u8])] = &[
    (
        "adlcp_rootv1p2.xsd",
        include_bytes!("../../schemas/scorm12/adlcp_rootv1p2.xsd"),
    ),
    (
        "ims_xml.xsd",
        include_bytes!("../../schemas/scorm12/ims_xml.xsd"),
    ),
    (
        "imscp_rootv1p1p2.xsd",
        include_bytes!("../../schemas/scorm12/imscp_rootv1p1p2.xsd"),
    ),
    (
        "imsmd_rootv1p2p1.xsd",
        include_bytes!("../../schemas/scorm12/imsmd_rootv1p2p1.xsd"),
    ),
];

pub const SCORM2004_SCHEMAS: &[(&str, &[u8])] = &[
    (
        "adlcp_v1p3.xsd",
        include_bytes!("../../schemas/scorm2004/adlcp_v1p3.xsd"),
    ),
    (
        "adlnav_v1p3.xsd",
        include_bytes!("../../schemas/scorm2004/adlnav_v1p3.xsd"),
    ),
    (
        "adlseq_v1p3.xsd",
        include_bytes!("../../schemas/scorm2004/adlseq_v1p3.xsd"),
    ),
    (
        "imscp_v1p1.xsd",
        include_bytes!("../../schemas/scorm2004/imscp_v1p1.xsd"),
    ),
    (
        "imsss_v1p0.xsd",
        include_bytes!("../../schemas/scorm2004/imsss_v1p0.xsd"),
    ),
    (
        "imsss_v1p0auxresource.xsd",
        include_bytes!("../../schemas/scorm2004/imsss_v1p0auxresource.xsd"),
    ),
    (
        "imsss_v1p0control.xsd",
        include_bytes!("../../schemas/scorm2004/imsss_v1p0control.xsd"),
    ),
    (
        "imsss_v1p0delivery.xsd",
        include_bytes!("../../schemas/scorm2004/imsss_v1p0delivery.xsd"),
    ),
    (
        "imsss_v1p0limit.xsd",
        include_bytes!("../../schemas/scorm2004/imsss_v1p0limit.xsd"),
    ),
    (
        "imsss_v1p0objective.xsd",
        include_bytes!("../../schemas/scorm2004/imsss_v1p0objective.xsd"),
    ),
    (
        "imsss_v1p0random.xsd",
        include_bytes!("../../schemas/scorm2004/imsss_v1p0random.xsd"),
    ),
    (
        "imsss_v1p0rollup.xsd",
        include_bytes!("../../schemas/scorm2004/imsss_v1p0rollup.xsd"),
    ),
    (
        "imsss_v1p0seqrule.xsd",
        include_bytes!("../../schemas/scorm2004/imsss_v1p0seqrule.xsd"),
    ),
    (
        "imsss_v1p0util.xsd",
        include_bytes!("../../schemas/scorm2004/imsss_v1p0util.xsd"),
    ),
    ("xml.xsd", include_bytes!("../../schemas/scorm2004/xml.xsd")),
];

pub fn schemas(version: Version) -> &'static [(&'static str, &'static [u8])] {
    match version {
        Version::Scorm12 => SCORM12_SCHEMAS,
        Version::Scorm2004 => SCORM2004_SCHEMAS,
    }
}

/// Stable identifiers of a module's manifest, organization, item and resource.
pub struct Identifiers {
    pub manifest: String,
    pub organization: String,
    pub item: String,
    pub resource: String,
}

impl Identifiers {
    /// Derived from the module id only (ids are `[a-z0-9_-]`; the prefixes make them NCNames).
    pub fn of(module: &Module) -> Identifiers {
        Identifiers {
            manifest: format!("policybook-{}", module.id),
            organization: format!("ORG-{}", module.id),
            item: format!("ITEM-{}", module.id),
            resource: format!("RES-{}", module.id),
        }
    }
}

/// The manifest of one package. `files` are the content files (forward slashes), sorted;
/// `mastery` is the pass mark the LMS may apply itself, when the module has exactly one quiz.
pub fn manifest(
    version: Version,
    module: &Module,
    files: &[String],
    mastery: Option<u8>,
) -> String {
    let ids = Identifiers::of(module);
    let title = xml_escape(&module.title);
    let file_list: String = files
        .iter()
        .map(|f| format!("      <file href=\"{}\"/>\n", xml_escape(f)))
        .collect();
    match version {
        Version::Scorm12 => {
            let mastery = mastery.map_or(String::new(), |m| {
                format!("        <adlcp:masteryscore>{m}</adlcp:masteryscore>\n")
            });
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{manifest}" version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="{org}">
    <organization identifier="{org}">
      <title>{title}</title>
      <item identifier="{item}" identifierref="{res}" isvisible="true">
        <title>{title}</title>
{mastery}      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="{res}" type="webcontent" adlcp:scormtype="sco" href="index.html">
{file_list}    </resource>
  </resources>
</manifest>
"#,
                manifest = ids.manifest,
                org = ids.organization,
                item = ids.item,
                res = ids.resource,
            )
        }
        Version::Scorm2004 => {
            // Other LMSs may decide success from the scaled score; Moodle ignores this, and the
            // content sets cmi.success_status itself either way.
            let sequencing = mastery.map_or(String::new(), |m| {
                format!(
                    "        <imsss:sequencing>\n          <imsss:objectives>\n            <imsss:primaryObjective objectiveID=\"PRIMARY-{id}\" satisfiedByMeasure=\"true\">\n              <imsss:minNormalizedMeasure>{measure}</imsss:minNormalizedMeasure>\n            </imsss:primaryObjective>\n          </imsss:objectives>\n        </imsss:sequencing>\n",
                    id = module.id,
                    measure = f64::from(m) / 100.0,
                )
            });
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{manifest}" version="1"
    xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
    xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
    xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
    xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
  </metadata>
  <organizations default="{org}">
    <organization identifier="{org}">
      <title>{title}</title>
      <item identifier="{item}" identifierref="{res}">
        <title>{title}</title>
{sequencing}      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="{res}" type="webcontent" adlcp:scormType="sco" href="index.html">
{file_list}    </resource>
  </resources>
</manifest>
"#,
                manifest = ids.manifest,
                org = ids.organization,
                item = ids.item,
                res = ids.resource,
            )
        }
    }
}

/// Escapes with the five named entities only, never numeric references.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 forbids most control characters; drop them rather than write `&#…;`.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_with_named_entities_only() {
        assert_eq!(
            xml_escape("Café & <Co> \"q\" 'a'\u{1}"),
            "Café &amp; &lt;Co&gt; &quot;q&quot; &apos;a&apos;"
        );
    }

    #[test]
    fn mastery_score_only_when_given() {
        let module = Module {
            id: "m".into(),
            title: "M".into(),
            policies: vec!["m".into()],
            quizzes: vec![],
            require_pass: true,
            audience: None,
        };
        let with = manifest(Version::Scorm12, &module, &["index.html".into()], Some(80));
        assert!(with.contains("<adlcp:masteryscore>80</adlcp:masteryscore>"));
        let without = manifest(Version::Scorm12, &module, &["index.html".into()], None);
        assert!(!without.contains("masteryscore"));
        assert!(
            manifest(Version::Scorm2004, &module, &[], Some(75))
                .contains("<imsss:minNormalizedMeasure>0.75<")
        );
    }
}
