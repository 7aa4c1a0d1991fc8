import OnboardInput

/// The parts of a mailbox's settings, each sent on its own route and recorded on its own: the one owner of what an
/// import marks to send and what an answer clears.
///
///     import: every part the row gives ─▶ due ─answer─▶ cleared (applied, or failed with lemlist's text)
///     import again, job connected: only the parts whose value changed ─▶ due
public struct SettingsPart: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The daily sending limit (`PATCH /user/sending-settings`).
    public static let limit = SettingsPart(rawValue: 1)
    /// The warm-up's maximum and ramp-up (`PATCH /lemwarm/{usm}/settings`).
    public static let warmupSettings = SettingsPart(rawValue: 2)
    /// Starting or pausing the warm-up (`POST /lemwarm/{usm}/start` or `pause`).
    public static let warmupSwitch = SettingsPart(rawValue: 4)

    /// Every part `settings` gives a value for.
    public static func asked(by settings: MailboxSettings) -> SettingsPart {
        var parts: SettingsPart = []
        if settings.dailyLimit != nil { parts.insert(.limit) }
        if settings.hasWarmupSettings { parts.insert(.warmupSettings) }
        if settings.warmup != nil { parts.insert(.warmupSwitch) }
        return parts
    }

    /// The parts to send again when a connected mailbox's row changes from `old` to `new`: those with a new value.
    /// A value made blank leaves lemlist's as it is, so it sends nothing.
    public static func changed(from old: MailboxSettings, to new: MailboxSettings) -> SettingsPart {
        var parts: SettingsPart = []
        if let limit = new.dailyLimit, limit != old.dailyLimit { parts.insert(.limit) }
        if (new.warmupMax != nil && new.warmupMax != old.warmupMax) || (new.warmupRampup != nil && new.warmupRampup != old.warmupRampup) {
            parts.insert(.warmupSettings)
        }
        if let warmup = new.warmup, warmup != old.warmup { parts.insert(.warmupSwitch) }
        return parts
    }
}

/// How a job's settings stand, as the ledger and the JSON report name it.
public enum SettingsState: String, Sendable, CaseIterable {
    /// Some part is still to send (or the job is not connected yet).
    case pending
    /// Every part was applied.
    case applied
    /// Every part was sent, and some part failed; the job's settings error says why.
    case failed

    /// A job's state from its `settings_due` and `settings_error` columns, for a statement run after they changed.
    static let sqlAfter = "CASE WHEN settings_due != 0 THEN 'pending' WHEN settings_error IS NOT NULL THEN 'failed' ELSE 'applied' END"
}
