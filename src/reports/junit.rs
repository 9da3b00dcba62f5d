//! JUnit XML for CI systems: one `testsuite` per test file, one `testcase`
//! per case; failed expectations and changed golden files are `failure`s,
//! problems that stopped a case are `error`s.

use quick_xml::events::BytesText;
use quick_xml::Writer;

use super::test::failure_text;
use crate::testing::{CaseResult, SuiteReport};

/// The reports as a JUnit XML document.
pub fn junit(reports: &[SuiteReport]) -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let tests: usize = reports.iter().map(|r| r.cases.len()).sum();
    let failures: usize = reports.iter().map(SuiteReport::failed).sum();
    let result = writer
        .create_element("testsuites")
        .with_attribute(("name", "opinio"))
        .with_attribute(("tests", tests.to_string().as_str()))
        .with_attribute(("failures", failures.to_string().as_str()))
        .write_inner_content(|w| {
            for r in reports {
                let failed = r.cases.iter().filter(|c| matches!(c.result, CaseResult::Failed(_) | CaseResult::Changed { .. })).count();
                let errors = r.cases.iter().filter(|c| matches!(c.result, CaseResult::Error(_))).count();
                w.create_element("testsuite")
                    .with_attribute(("name", r.name.as_str()))
                    .with_attribute(("file", r.path.as_str()))
                    .with_attribute(("tests", r.cases.len().to_string().as_str()))
                    .with_attribute(("failures", failed.to_string().as_str()))
                    .with_attribute(("errors", errors.to_string().as_str()))
                    .write_inner_content(|w| {
                        for case in &r.cases {
                            let name = format!("{} [{}] on {}", case.name, case.position, case.incident);
                            let element = w
                                .create_element("testcase")
                                .with_attribute(("classname", r.name.as_str()))
                                .with_attribute(("name", name.as_str()));
                            match &case.result {
                                CaseResult::Passed | CaseResult::Written { .. } => {
                                    element.write_empty()?;
                                }
                                CaseResult::Failed(failures) => {
                                    let text: String = failures.iter().map(failure_text).collect();
                                    let message = failures.iter().map(|f| f.expected.as_str()).collect::<Vec<_>>().join("; ");
                                    element.write_inner_content(|w| {
                                        w.create_element("failure")
                                            .with_attribute(("message", format!("expected {message}").as_str()))
                                            .write_text_content(BytesText::new(&text))?;
                                        Ok::<(), std::io::Error>(())
                                    })?;
                                }
                                CaseResult::Changed { file, diff, conclusions } => {
                                    let message = format!("the golden file {file} changed");
                                    let text = format!("{}\n{diff}", conclusions.join("\n"));
                                    element.write_inner_content(|w| {
                                        w.create_element("failure")
                                            .with_attribute(("message", message.as_str()))
                                            .write_text_content(BytesText::new(&text))?;
                                        Ok::<(), std::io::Error>(())
                                    })?;
                                }
                                CaseResult::Error(why) => {
                                    element.write_inner_content(|w| {
                                        w.create_element("error").with_attribute(("message", why.as_str())).write_empty()?;
                                        Ok::<(), std::io::Error>(())
                                    })?;
                                }
                            }
                        }
                        Ok::<(), std::io::Error>(())
                    })?;
            }
            Ok::<(), std::io::Error>(())
        });
    // Writing into memory cannot fail.
    debug_assert!(result.is_ok());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&String::from_utf8_lossy(&writer.into_inner()));
    out.push('\n');
    out
}
