//! `autogen lint FILE…`: the planner's hazard rules on migrations written
//! by hand. Each statement is replayed on the schema before it (the
//! migrations before the file, then the statements before it in the file)
//! and the change it makes is planned as autogen would plan it: the
//! plan's hazards are the statement's findings, at its line and column.
//! What makes a statement safe that the schema cannot show is read from
//! its text: `CONCURRENTLY` builds or drops an index without blocking
//! writes, a rename changes no data, and a table created earlier in the
//! same file is new and empty (nothing to scan, rewrite or wait for).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use autogen_diff::{Hazard, Hints, Key};
use autogen_schema::{QualifiedName, Schema};

use crate::config::{Project, ProjectArgs};
use crate::{migrations, output, source};

/// Arguments of `autogen lint`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Each statement of each FILE is replayed on the schema before it — the \
migrations of the project's folder before the file (all of them for a file outside the folder), \
then the file's statements before it — and the change it makes gets the hazards autogen's plans \
give the same change: data-loss (drops), table-rewrite (a type change that rewrites, a volatile \
default), blocking-lock (an index built without CONCURRENTLY, a foreign key or check validated, \
SET NOT NULL), may-fail-on-data, enum-swap, extension-update. One finding per hazard and statement, \
as FILE:LINE:COLUMN: hazard: what. A statement on a table the same file created is not flagged \
(the table is new and empty), nor a rename, nor CREATE/DROP INDEX CONCURRENTLY. A hazard the file \
acknowledges (`-- autogen: allow <hazard>: <why>`) is left out.

Exit status: 0 when nothing is found, 1 when something is, 2 on error.")]
pub struct LintArgs {
    /// The migration files (`.sql`) to lint.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    #[command(flatten)]
    project: ProjectArgs,
}

/// A hazard of one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Finding {
    line: u64,
    column: u64,
    hazard: Hazard,
    what: String,
}

pub(crate) fn run(arguments: LintArgs) -> anyhow::Result<ExitCode> {
    let project = Project::load(&arguments.project, None)?;
    let mut found = 0;
    for file in &arguments.files {
        let findings = lint_file(&project, file)?;
        let name = autogen_schema::one_line(&file.display().to_string()).into_owned();
        for finding in &findings {
            output::print(&format!(
                "{name}:{}:{}: {}: {} ({})\n",
                finding.line,
                finding.column,
                output::paint(output::WARNING, finding.hazard.name()),
                finding.what,
                meaning(finding.hazard)
            ))?;
        }
        found += findings.len();
    }
    if found == 0 {
        output::say(&format!("{} no hazards found", output::paint(output::GOOD, "ok:")));
        Ok(ExitCode::SUCCESS)
    } else {
        output::say(&format!("{found} finding(s)"));
        Ok(ExitCode::from(1))
    }
}

/// What a hazard means for the database, in a few words.
fn meaning(hazard: Hazard) -> &'static str {
    match hazard {
        Hazard::DataLoss => "drops data",
        Hazard::TableRewrite => "rewrites the whole table under an ACCESS EXCLUSIVE lock",
        Hazard::BlockingLock => {
            "holds a lock that blocks writes (or reads) while it scans or builds"
        }
        Hazard::MayFailOnData => "fails if the rows already there do not fit",
        Hazard::EnumSwap => "replaces an enum type, rewriting the columns of it",
        Hazard::ExtensionUpdate => "runs an extension's update script",
    }
}

/// The schema before `file`: the folder's migrations before it (its
/// version, when it is one of them), or all of them.
fn schema_before(project: &Project, file: &Path) -> anyhow::Result<Schema> {
    if !project.migrations.is_dir() {
        return Ok(Schema::default());
    }
    let own = std::fs::canonicalize(file).ok();
    let scripts = migrations::up_scripts(&project.migrations)?;
    let version = scripts
        .iter()
        .find(|(_, path)| std::fs::canonicalize(path).ok() == own && own.is_some())
        .map(|(version, _)| *version);
    let replayed = source::replay_some_migrations(&project.migrations, |other| {
        version.is_none_or(|version| other < version)
    })?;
    source::report(&replayed.diagnostics, false)?;
    Ok(replayed.schema)
}

/// The findings of one file, in statement order.
fn lint_file(project: &Project, file: &Path) -> anyhow::Result<Vec<Finding>> {
    let text = source::read_text(file)?;
    let name = file.display().to_string();
    let statements = autogen_sql::statements::split(&text).map_err(|(location, message)| {
        anyhow::anyhow!("{name}:{}:{}: {message}", location.line, location.column)
    })?;
    let acknowledged: Vec<String> =
        migrations::acknowledgements(&text).into_iter().map(|ack| ack.hazard).collect();
    let base = schema_before(project, file)?;
    let mut before = base.clone();
    let mut created: Vec<QualifiedName> = Vec::new();
    let mut findings = Vec::new();
    for (index, statement) in statements.iter().enumerate() {
        // Replayed from the base with every statement so far: the reader
        // keeps what a statement sets for the next (search_path …).
        let sources: Vec<autogen_sql::Source> = statements[..=index]
            .iter()
            .map(|statement| autogen_sql::Source {
                name: name.clone(),
                text: format!("{};", statement.text),
            })
            .collect();
        let replayed = autogen_sql::replay(base.clone(), &sources);
        if let Some(error) = replayed
            .diagnostics
            .iter()
            .find(|diagnostic| diagnostic.severity == autogen_sql::Severity::Error)
        {
            anyhow::bail!(
                "{name}:{}:{}: autogen cannot read this statement: {}",
                statement.location.line,
                statement.location.column,
                error.message
            );
        }
        let after = replayed.schema;
        let plan = autogen_diff::diff(&before, &after, &Hints::default());
        let words = keywords(&statement.text);
        let concurrently = words.iter().any(|word| word == "CONCURRENTLY");
        let renames = words.first().is_some_and(|word| word == "ALTER")
            && words.iter().any(|word| word == "RENAME");
        for step in &plan.steps {
            if let autogen_diff::Operation::CreateTable(table) = &step.operation {
                created.push(table.name.clone());
            }
            let keys = step.consumes.iter().chain(&step.removes).chain(&step.produces);
            let tables: Vec<&QualifiedName> = keys.filter_map(table_of).collect();
            let on_new = !tables.is_empty() && tables.iter().all(|table| created.contains(table));
            for hazard in &step.hazards {
                let safe = renames
                    || (on_new && *hazard != Hazard::DataLoss)
                    || (concurrently && *hazard == Hazard::BlockingLock)
                    || acknowledged.iter().any(|ack| ack == hazard.name());
                let finding = Finding {
                    line: statement.location.line,
                    column: statement.location.column,
                    hazard: *hazard,
                    what: step.operation.describe(),
                };
                if !safe && !findings.contains(&finding) {
                    findings.push(finding);
                }
            }
        }
        before = after;
    }
    Ok(findings)
}

/// The table a key is of, when it is a table's or a table's part's.
fn table_of(key: &Key) -> Option<&QualifiedName> {
    match key {
        Key::Table(table)
        | Key::Column(table, _)
        | Key::Constraint(table, _)
        | Key::NotNull(table, _)
        | Key::ColumnType(table, _)
        | Key::Trigger(table, _)
        | Key::Policy(table, _)
        | Key::Persistence(table) => Some(table),
        _ => None,
    }
}

/// The words of a statement outside quotes, comments and bodies, in upper
/// case.
fn keywords(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(character) = chars.next() {
        if let Some(open) = quote {
            if character == open {
                quote = None;
            }
            continue;
        }
        match character {
            '\'' | '"' => quote = Some(character),
            '-' if chars.peek() == Some(&'-') => {
                for rest in chars.by_ref() {
                    if rest == '\n' {
                        break;
                    }
                }
            }
            '$' => break,
            c if c.is_alphanumeric() || c == '_' => {
                word.push(c.to_ascii_uppercase());
                continue;
            }
            _ => {}
        }
        if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_leave_out_quoted_text_and_comments() {
        assert_eq!(
            keywords(
                "create index concurrently \"RENAME\" on t (a) -- RENAME\n where b = 'RENAME'"
            ),
            ["CREATE", "INDEX", "CONCURRENTLY", "ON", "T", "A", "WHERE", "B"]
        );
    }
}
