import NIOCore
import NIOTLS

/// Keeps what a mail server sends and hands it out a line (or, for an IMAP literal, a byte count) at a time, each
/// wait bounded by the conversation's deadline. Lives on the channel's event loop; `MailConnection` reaches it only
/// through that loop.
///
/// What a server may send ahead of being read is capped (`maxUnreadBytes`): past it the connection is closed, so a
/// server that floods cannot grow this process's memory.
final class LineReader: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    /// No reply line of SMTP or IMAP comes near this; a server sending more is not one to trust.
    static let maxLineBytes = 64 * 1024
    /// Bytes received and not yet read. A login's conversation is a few hundred bytes each way.
    static let maxUnreadBytes = 256 * 1024

    private var buffer: [UInt8] = []
    /// Where unread bytes start in `buffer`.
    private var start = 0
    /// The first error or the end of the stream; later ones are consequences of it.
    private var ended: (any Error)?
    private var waiting: (want: Want, promise: EventLoopPromise<String>, timer: Scheduled<Void>)?
    private(set) var handshaken = false
    private var waitingForTLS: (promise: EventLoopPromise<Void>, timer: Scheduled<Void>)?

    private enum Want {
        case line
        /// An IMAP literal's bytes, which are data, not lines, whatever they hold.
        case bytes(Int)
    }

    /// What ended the stream, if it has ended: the reason a write failed too.
    var failure: (any Error)? { ended }

    /// Whether the server sent anything not yet read: after a STARTTLS answer that would be an injection attempt.
    var hasUnreadInput: Bool { start < buffer.count }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let incoming = unwrapInboundIn(data)
        guard ended == nil else { return }
        buffer.append(contentsOf: incoming.readableBytesView)
        if buffer.count - start > Self.maxUnreadBytes {
            end(MailError.tooMuch)
            context.close(promise: nil)
        } else if buffer.count - start > Self.maxLineBytes, !buffer[start...].contains(UInt8(ascii: "\n")) {
            end(MailError.lineTooLong)
            context.close(promise: nil)
        }
        deliver()
    }

    func channelInactive(context: ChannelHandlerContext) {
        end(MailError.closed)
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted? = event as? TLSUserEvent {
            handshaken = true
            deliver()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        end(error)
        context.close(promise: nil)
    }

    /// The next line, without its line end, or the error that ended the stream, or `MailError.timedOut` at `deadline`.
    func next(on loop: any EventLoop, deadline: NIODeadline) -> EventLoopFuture<String> {
        wait(for: .line, on: loop, deadline: deadline)
    }

    /// Reads past the next `count` bytes (an IMAP literal), whatever they hold.
    func skip(_ count: Int, on loop: any EventLoop, deadline: NIODeadline) -> EventLoopFuture<Void> {
        wait(for: .bytes(count), on: loop, deadline: deadline).map { _ in }
    }

    /// Succeeds once a TLS handshake has completed; fails with what ended the stream, or at `deadline`.
    func handshake(on loop: any EventLoop, deadline: NIODeadline) -> EventLoopFuture<Void> {
        if handshaken { return loop.makeSucceededVoidFuture() }
        if let ended { return loop.makeFailedFuture(ended) }
        let promise = loop.makePromise(of: Void.self)
        let timer = loop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.waitingForTLS = nil
            promise.fail(MailError.timedOut)
        }
        waitingForTLS = (promise, timer)
        return promise.futureResult
    }

    private func wait(for want: Want, on loop: any EventLoop, deadline: NIODeadline) -> EventLoopFuture<String> {
        if let value = take(want) { return loop.makeSucceededFuture(value) }
        if let ended { return loop.makeFailedFuture(ended) }
        let promise = loop.makePromise(of: String.self)
        let timer = loop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.waiting = nil
            promise.fail(MailError.timedOut)
        }
        waiting = (want, promise, timer)
        return promise.futureResult
    }

    /// What `want` asks for, taken from the unread bytes, or nil if it has not all arrived.
    private func take(_ want: Want) -> String? {
        let taken: String
        switch want {
        case .line:
            guard let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            var end = newline
            if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            taken = String(decoding: buffer[start..<end], as: UTF8.self)
            start = newline + 1
        case let .bytes(count):
            guard buffer.count - start >= count else { return nil }
            taken = ""
            start += count
        }
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > Self.maxLineBytes {
            buffer.removeFirst(start)
            start = 0
        }
        return taken
    }

    private func end(_ error: any Error) {
        if ended == nil { ended = error }
        deliver()
    }

    private func deliver() {
        if let (promise, timer) = waitingForTLS, handshaken || ended != nil {
            waitingForTLS = nil
            timer.cancel()
            if handshaken { promise.succeed() } else if let ended { promise.fail(ended) }
        }
        guard let (want, promise, timer) = waiting else { return }
        if let value = take(want) {
            waiting = nil
            timer.cancel()
            promise.succeed(value)
        } else if let ended {
            waiting = nil
            timer.cancel()
            promise.fail(ended)
        }
    }
}

/// How a conversation with a mail server broke off, apart from NIO's and TLS's own errors.
enum MailError: Error, Equatable {
    /// The login's deadline passed.
    case timedOut
    case closed
    case lineTooLong
    /// The server sent more than `LineReader.maxUnreadBytes` ahead of being read.
    case tooMuch
    /// A credential was about to leave on a connection that is not TLS; it was not sent.
    case noTLS
    /// The server sent something this protocol does not allow at this point.
    case unexpected(String)
}
