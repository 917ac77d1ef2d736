/// Progress lines a provisioner reports while it works, for people: a wait that takes long
/// and why (a Slurm job pending for Resources, say). The engine binds `current` to the
/// launch's progress output while it provisions; where nobody listens, nothing is reported.
public final class ProvisionProgress: Sendable {
    /// The calling task's listener. (An object, not an optional closure: a task-local optional
    /// closure crashes optimized Swift 6.3 builds in `swift_task_localValuePush`.)
    @TaskLocal public static var current: ProvisionProgress?

    private let report: @Sendable (String) -> Void

    public init(_ report: @escaping @Sendable (String) -> Void) {
        self.report = report
    }

    /// Hands `line` to this listener.
    public func say(_ line: String) {
        report(line)
    }

    /// Reports `line` to the calling task's listener, if any.
    public static func say(_ line: String) {
        current?.say(line)
    }
}
