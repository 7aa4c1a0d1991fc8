/// What a row asks of a mailbox once it is connected: its daily sending limit and its warm-up. Each blank field
/// leaves lemlist's value as it is.
public struct MailboxSettings: Sendable, Equatable, Hashable {
    public var dailyLimit: Int?
    /// Start the warm-up (true) or pause it (false).
    public var warmup: Bool?
    public var warmupMax: Int?
    public var warmupRampup: Int?

    public init(dailyLimit: Int? = nil, warmup: Bool? = nil, warmupMax: Int? = nil, warmupRampup: Int? = nil) {
        self.dailyLimit = dailyLimit
        self.warmup = warmup
        self.warmupMax = warmupMax
        self.warmupRampup = warmupRampup
    }

    /// Nothing to apply.
    public var isEmpty: Bool { dailyLimit == nil && !hasWarmup }

    /// Whether any warm-up field is given.
    public var hasWarmup: Bool { warmup != nil || warmupMax != nil || warmupRampup != nil }

    /// The warm-up's own settings (maximum, ramp-up), sent before it is started or paused.
    public var hasWarmupSettings: Bool { warmupMax != nil || warmupRampup != nil }
}
