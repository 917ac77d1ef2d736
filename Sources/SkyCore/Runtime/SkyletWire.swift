/// Lines the skylet prints on a stream for the engine (a stream carries stdout only).
public enum SkyletWire {
    /// Ends `skylet logs --status-marker` and `skylet submit --follow`: the job's status.
    public static let statusMarker = "__SKYLET_JOB_STATUS__ "
    /// Printed by `skylet submit --follow` instead of the job id when the job was refused.
    public static let submitErrorMarker = "__SKYLET_SUBMIT_ERROR__ "
}
