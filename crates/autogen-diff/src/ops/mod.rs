//! The operation families. Each module holds, for its operations, the steps
//! built from comparing two schemas (with their hazards and dependency
//! keys), the one-line description, the ordering phase and the SQL. This
//! file is the one dispatch on [`Operation`]: [`family`] says which module
//! an operation belongs to, and every question about an operation goes
//! through it.

pub(crate) mod collations;
pub(crate) mod columns;
pub(crate) mod comments;
pub(crate) mod composites;
pub(crate) mod constraints;
pub(crate) mod domains;
pub(crate) mod enums;
pub(crate) mod extensions;
pub(crate) mod functions;
pub(crate) mod grants;
pub(crate) mod indexes;
pub(crate) mod partitions;
pub(crate) mod policies;
pub(crate) mod renames;
pub(crate) mod repartition;
pub(crate) mod schemas;
pub(crate) mod sequences;
pub(crate) mod statistics;
pub(crate) mod storage;
pub(crate) mod tables;
pub(crate) mod triggers;
pub(crate) mod views;

use autogen_schema::ddl::Renderer;

use crate::operation::{Key, Operation, Step};
use crate::order::Phase;

/// What a family knows about each of its operations. Its methods are only
/// called with the family's own operations ([`family`] sends them).
trait Family {
    /// What the operation does, in a few words with the object's name.
    fn describe(&self, operation: &Operation) -> String;

    /// When the operation runs among steps free to run.
    fn phase(&self, operation: &Operation) -> Phase;

    /// The statements, each ending in `;`, literals as PostgreSQL prints
    /// them (made portable by [`step_sql`]).
    fn sql(&self, operation: &Operation, renderer: &Renderer<'_>) -> Vec<String>;

    /// The expressions the operation writes as PostgreSQL prints them
    /// (defaults, checks, generation, index expressions and predicates):
    /// where it can use an enum value.
    fn expressions<'o>(&self, _operation: &'o Operation) -> Vec<&'o str> {
        Vec::new()
    }

    /// A sentence for the reviewer above a step whose hazard needs more
    /// than its name: what makes it fail.
    fn note(&self, _operation: &Operation) -> Option<String> {
        None
    }

    /// Whether the operation brings back empty an object whose data the
    /// steps `dropped_by` (the up plan, for a down step) dropped.
    fn comes_back_empty(&self, _operation: &Operation, _dropped_by: &[Step]) -> bool {
        false
    }
}

/// The family of an operation: the one `match` that sends each operation
/// to its module. An operation kind is registered here.
fn family(operation: &Operation) -> &'static dyn Family {
    match operation {
        Operation::CreateSchema(_) | Operation::DropSchema(_) => &schemas::Schemas,
        Operation::CreateExtension(_)
        | Operation::DropExtension(_)
        | Operation::UpdateExtension { .. } => &extensions::Extensions,
        Operation::CreateEnum(_)
        | Operation::DropEnum(_)
        | Operation::AddEnumValue { .. }
        | Operation::SwapEnum { .. } => &enums::Enums,
        Operation::CreateComposite(_)
        | Operation::DropComposite(_)
        | Operation::AlterComposite { .. }
        | Operation::ReplaceComposite { .. }
        | Operation::RenameComposite { .. }
        | Operation::RenameAttribute { .. } => &composites::Composites,
        Operation::CreateCollation(_)
        | Operation::DropCollation(_)
        | Operation::RenameCollation { .. } => &collations::Collations,
        Operation::CreateDomain(_)
        | Operation::DropDomain(_)
        | Operation::AlterDomain { .. }
        | Operation::ReplaceDomain { .. }
        | Operation::RenameDomain { .. } => &domains::Domains,
        Operation::CreateTable(_) | Operation::DropTable(_) => &tables::Tables,
        Operation::AddColumn { .. }
        | Operation::DropColumn { .. }
        | Operation::AlterColumnType { .. }
        | Operation::AlterVectorColumn { .. }
        | Operation::AlterIdentity { .. }
        | Operation::SetNullable { .. }
        | Operation::SetDefault { .. } => &columns::Columns,
        Operation::RenameSequence { .. }
        | Operation::CreateOwnedSequence { .. }
        | Operation::AlterOwnedSequence { .. }
        | Operation::DropOwnedSequence { .. }
        | Operation::CreateSequence(_)
        | Operation::DropSequence(_)
        | Operation::AlterSequence { .. }
        | Operation::OwnSequence { .. } => &sequences::Sequences,
        Operation::AddPrimaryKey { .. }
        | Operation::AddUnique { .. }
        | Operation::AddKeyUsingIndex { .. }
        | Operation::AddCheck { .. }
        | Operation::AddForeignKey { .. }
        | Operation::AddExclusion { .. }
        | Operation::ValidateConstraint { .. }
        | Operation::DropConstraint { .. }
        | Operation::RenameConstraint { .. } => &constraints::Constraints,
        Operation::CreateIndex { .. }
        | Operation::DropIndex { .. }
        | Operation::RenameIndex { .. } => &indexes::Indexes,
        Operation::CommentTable { .. }
        | Operation::CommentColumn { .. }
        | Operation::Comment { .. } => &comments::Comments,
        Operation::RenameTable { .. }
        | Operation::RenameColumn { .. }
        | Operation::RenameEnum { .. }
        | Operation::RenameEnumValue { .. } => &renames::Renames,
        Operation::SetUnlogged { .. }
        | Operation::SetTableParameters { .. }
        | Operation::SetColumnStorage { .. }
        | Operation::SetColumnCompression { .. }
        | Operation::SetColumnStatistics { .. }
        | Operation::SetReplicaIdentity { .. }
        | Operation::SetClusterOn { .. } => &storage::Storage,
        Operation::CreateStatistics { .. }
        | Operation::DropStatistics { .. }
        | Operation::SetStatisticsTarget { .. }
        | Operation::RenameStatistics { .. } => &statistics::ExtendedStatistics,
        Operation::CreateView(_)
        | Operation::DropView(_)
        | Operation::ReplaceView { .. }
        | Operation::SetViewOptions { .. }
        | Operation::CreateMaterializedView { .. }
        | Operation::DropMaterializedView(_)
        | Operation::RefreshMaterializedView { .. }
        | Operation::RenameView { .. }
        | Operation::CommentView { .. } => &views::Views,
        Operation::CreateTrigger { .. }
        | Operation::ReplaceTrigger { .. }
        | Operation::DropTrigger { .. }
        | Operation::RenameTrigger { .. }
        | Operation::SetTriggerEnabled { .. }
        | Operation::CommentTrigger { .. } => &triggers::Triggers,
        Operation::SetRowSecurity { .. }
        | Operation::ForceRowSecurity { .. }
        | Operation::CreatePolicy { .. }
        | Operation::AlterPolicy { .. }
        | Operation::DropPolicy { .. }
        | Operation::RenamePolicy { .. }
        | Operation::CommentPolicy { .. } => &policies::Policies,
        Operation::CreateFunction { .. }
        | Operation::DropFunction(_)
        | Operation::RenameFunction { .. }
        | Operation::CommentFunction { .. }
        | Operation::CreateAggregate { .. }
        | Operation::DropAggregate(_)
        | Operation::RenameAggregate { .. }
        | Operation::CommentAggregate { .. }
        | Operation::SkipBodyChecks
        | Operation::RestoreBodyChecks => &functions::Functions,
        Operation::RestoreGrants { .. } => &grants::Privileges,
        Operation::AttachPartition { .. }
        | Operation::DetachPartition { .. }
        | Operation::Inherit { .. }
        | Operation::NoInherit { .. } => &partitions::Partitions,
        Operation::MoveRows { .. } => &repartition::Moves,
    }
}

/// A family module was handed an operation of another family.
fn not_mine(family: &str, operation: &Operation) -> ! {
    unreachable!("{family} was handed {operation:?}")
}

impl Operation {
    /// What the operation does, in a few words with the object's name
    /// (`add column public.items.name`), for summaries and the header of a
    /// migration: always one line, whatever the names hold
    /// ([`autogen_schema::one_line`]).
    pub fn describe(&self) -> String {
        autogen_schema::one_line(&family(self).describe(self)).into_owned()
    }

    /// When the operation runs among steps free to run (`order.rs`).
    pub(crate) fn phase(&self) -> Phase {
        family(self).phase(self)
    }
}

impl Step {
    /// A sentence for the reviewer above the step, when its hazard needs
    /// more than its name (a comment line, starting `-- `).
    pub fn note(&self) -> Option<String> {
        family(&self.operation).note(&self.operation)
    }

    /// Whether this step (of a down plan) brings back empty an object whose
    /// data the steps of `up` dropped.
    pub fn comes_back_empty(&self, up: &[Step]) -> bool {
        family(&self.operation).comes_back_empty(&self.operation, up)
    }
}

/// Fills each step's `uses`: the enum values added by the plan (`ADD
/// VALUE` steps) that its expressions use (`'label'::type`,
/// [`autogen_schema::expression::uses_enum_label`]).
pub(crate) fn enum_values_used(steps: &mut [Step]) {
    let added: Vec<Key> = steps.iter().flat_map(Step::adds_enum_values).cloned().collect();
    if added.is_empty() {
        return;
    }
    for step in steps {
        let expressions = family(&step.operation).expressions(&step.operation);
        for key in &added {
            let Key::EnumValue(type_name, label) = key else { continue };
            let uses = expressions.iter().any(|expression| {
                autogen_schema::expression::uses_enum_label(expression, type_name, label)
            });
            if uses {
                step.uses.push(key.clone());
            }
        }
    }
}

/// The statements of one step, each ending in `;`. String literals read
/// the same under any `standard_conforming_strings`
/// ([`autogen_schema::portable_literals`]).
pub fn step_sql(renderer: &Renderer<'_>, step: &Step) -> Vec<String> {
    let mut statements = family(&step.operation).sql(&step.operation, renderer);
    for statement in &mut statements {
        if let std::borrow::Cow::Owned(portable) = autogen_schema::portable_literals(statement) {
            *statement = portable;
        }
    }
    statements
}
