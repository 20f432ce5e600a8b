import FoundationEssentials
import ProjectFiles

/// A look at a project through a gate's build-target checks, without a run and without the
/// network: what each check finds and where (`explain` and `list` with `--project-root`).
public enum Inspection {
    /// Each check of `gate` that runs on the build target, run now against `projectRoot`; the
    /// others are listed with why they were not.
    public static func look(at gate: Gate, projectRoot: URL, environment: Environment) -> [(name: String, result: CheckResult)] {
        let listings = FolderListings()
        return gate.checks.map { check in
            guard check.targets.contains(.build) else { return (check.name, CheckResult.skipped(.notForTarget, "runs on the staging target only")) }
            var context = CheckContext(projectRoot: projectRoot, environment: environment, target: .build, timeout: check.timeout)
            context.listings = listings
            return (check.name, check.check.run(context, warn: check.warnVariant))
        }
    }
}
