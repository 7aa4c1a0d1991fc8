import Logging

/// A log handler that hands every message to a stream, so a test can await the moment the code says something.
public struct MessageWatcher: LogHandler {
    private let messages: AsyncStream<String>.Continuation
    public var logLevel: Logger.Level = .trace
    public var metadata: Logger.Metadata = [:]

    public init(_ messages: AsyncStream<String>.Continuation) { self.messages = messages }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
                    function: String, line: UInt) {
        messages.yield(message.description)
    }
}
