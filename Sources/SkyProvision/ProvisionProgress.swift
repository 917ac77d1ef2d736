/// Progress lines a provisioner reports while it works, for people: a wait that takes long
/// and why (a Slurm job pending for Resources, say). The engine binds `report` to the launch's
/// progress output while it provisions; where nobody listens, nothing is reported.
public enum ProvisionProgress {
    @TaskLocal public static var report: (@Sendable (String) -> Void)? = nil

    /// Reports `line` to whoever listens in this task.
    public static func say(_ line: String) {
        report?(line)
    }
}
