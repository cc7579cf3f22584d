//! Values that must name something in the workspace: account managers and workflows.

use super::{Rule, RuleError, contact};
use crate::workspace::Workspace;

/// Comma-separated e-mails, each a workspace member (compared lower-case). Stored lower-case,
/// joined by commas.
pub fn account_managers(raw: &str, workspace: &Workspace) -> Result<String, RuleError> {
    let mut out = Vec::new();
    for part in raw.split([',', ';']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        // A member is named by an e-mail: one that is not valid is a wrong account manager.
        let email = contact::email(part).map_err(|e| e.under(Rule::AccountManager))?;
        if !workspace.members.contains(&email) {
            return Err(RuleError::new(
                Rule::AccountManager,
                format!(
                    "Account manager not found; check the email. ({part:?} is not a member of \
                     the workspace{})",
                    member_hint(workspace)
                ),
            ));
        }
        if !out.contains(&email) {
            out.push(email);
        }
    }
    Ok(out.join(","))
}

fn member_hint(workspace: &Workspace) -> String {
    if workspace.members.is_empty() {
        "; the workspace has no members yet".into()
    } else {
        let list: Vec<&str> = workspace
            .members
            .iter()
            .take(5)
            .map(String::as_str)
            .collect();
        let more = if workspace.members.len() > 5 {
            ", ..."
        } else {
            ""
        };
        format!("; members: {}{more}", list.join(", "))
    }
}

/// A workflow name exactly as the workspace has it (case-sensitive).
pub fn workflow(raw: &str, workspace: &Workspace) -> Result<String, RuleError> {
    if workspace.workflows.contains(raw) {
        return Ok(raw.to_string());
    }
    let same_but_case = workspace
        .workflows
        .iter()
        .find(|w| w.to_lowercase() == raw.to_lowercase());
    let hint = match same_but_case {
        Some(name) => format!("did you mean {name:?}? Workflow names are case-sensitive"),
        None if workspace.workflows.is_empty() => "the workspace has no workflows yet".into(),
        None => {
            let names: Vec<String> = workspace
                .workflows
                .iter()
                .map(|w| format!("{w:?}"))
                .collect();
            format!("expected one of {}", names.join(", "))
        }
    };
    Err(RuleError::new(
        Rule::Workflow,
        format!("workflow {raw:?} does not exist: {hint}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> Workspace {
        let mut ws = Workspace::default();
        ws.members.insert("anna@ours.be".into());
        ws.members.insert("bert@ours.be".into());
        ws.workflows.insert("Standard".into());
        ws.workflows.insert("Key accounts".into());
        ws
    }

    #[test]
    fn managers_are_members_compared_lower_case() {
        let ws = workspace();
        assert_eq!(
            account_managers("Anna@Ours.be", &ws).unwrap(),
            "anna@ours.be"
        );
        assert_eq!(
            account_managers("anna@ours.be, BERT@ours.be", &ws).unwrap(),
            "anna@ours.be,bert@ours.be"
        );
        let err = account_managers("anna@ours.be, carl@ours.be", &ws)
            .unwrap_err()
            .message;
        assert!(
            err.starts_with("Account manager not found; check the email."),
            "{err}"
        );
        assert!(err.contains("carl@ours.be"), "{err}");
        assert!(
            account_managers("not-an-email", &ws)
                .unwrap_err()
                .message
                .contains("e-mail")
        );
    }

    #[test]
    fn workflows_are_case_sensitive() {
        let ws = workspace();
        assert_eq!(workflow("Standard", &ws).unwrap(), "Standard");
        let err = workflow("standard", &ws).unwrap_err().message;
        assert!(err.contains("did you mean \"Standard\"?"), "{err}");
        assert!(
            workflow("Legal", &ws)
                .unwrap_err()
                .message
                .contains("expected one of")
        );
    }
}
