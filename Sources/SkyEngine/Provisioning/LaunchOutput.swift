import SkyProvision

/// Progress lines and job log lines, for people.
package struct LaunchOutput: Sendable {
    package var progress: @Sendable (String) -> Void
    package var log: @Sendable (String) -> Void
    /// The CLI: Ctrl-C lets the state writes the launch started finish and, once a job is
    /// submitted and its logs are followed, says that the job keeps running and how to follow
    /// or cancel it (then sky exits 130; `InterruptHandler`).
    package var handlesCtrlC: Bool

    package init(
        progress: @escaping @Sendable (String) -> Void = { _ in },
        log: @escaping @Sendable (String) -> Void = { _ in },
        handlesCtrlC: Bool = false
    ) {
        self.progress = progress
        // Once Ctrl-C said the job's logs are no longer followed, none are printed.
        if handlesCtrlC {
            self.log = { line in
                if !InterruptHandler.shared.interrupted { log(line) }
            }
        } else {
            self.log = log
        }
        self.handlesCtrlC = handlesCtrlC
    }

    /// Job `id` of `cluster` is submitted; `following`: its logs are streamed next.
    func jobSubmitted(_ id: Int, cluster: String, following: Bool) {
        progress("Job submitted, ID: \(id)")
        guard following, handlesCtrlC else { return }
        InterruptHandler.shared.setNotice(
            [
                "Job \(id) is still running on cluster '\(cluster)': sky stopped following its "
                    + "logs, not the job.",
                "  To stream its logs:  sky logs \(cluster) \(id)",
                "  To cancel it:        sky cancel \(cluster) \(id)",
                "  To see the queue:    sky queue \(cluster)",
            ].joined(separator: "\n"))
    }
}
