/// Lines the skylet prints on a stream for the engine (a stream carries stdout only).
public enum SkyletWire {
    /// Ends `skylet logs --status-marker` and the `--follow` calls: the job's status.
    public static let statusMarker = "__SKYLET_JOB_STATUS__ "
    /// Printed by a streaming call (`submit --follow`, `start --submit --follow`) instead of
    /// its next reply line when it fails (a refused job, a set-up that failed): the reason.
    public static let errorMarker = "__SKYLET_ERROR__ "
}
