import NIOCore
import NIOTLS

/// Splits what a mail server sends into lines and hands them out one at a time, each wait bounded by a timeout.
/// Lives on the channel's event loop; `MailConnection` reaches it only through that loop.
final class LineReader: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    /// No reply line of SMTP or IMAP comes near this; a server sending more is not one to trust.
    static let maxLineBytes = 64 * 1024

    private var partial: [UInt8] = []
    private var lines = CircularBuffer<String>()
    /// The first error or the end of the stream; later ones are consequences of it.
    private var ended: (any Error)?
    private var waiting: (promise: EventLoopPromise<String>, timer: Scheduled<Void>)?
    private var handshaken = false
    private var waitingForTLS: (promise: EventLoopPromise<Void>, timer: Scheduled<Void>)?

    /// What ended the stream, if it has ended: the reason a write failed too.
    var failure: (any Error)? { ended }

    /// Whether the server sent anything not yet read: after a STARTTLS answer that would be an injection attempt.
    var hasUnreadInput: Bool { !lines.isEmpty || !partial.isEmpty }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        partial.append(contentsOf: buffer.readableBytesView)
        var start = 0
        while let newline = partial[start...].firstIndex(of: UInt8(ascii: "\n")) {
            var end = newline
            if end > start, partial[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            lines.append(String(decoding: partial[start..<end], as: UTF8.self))
            start = newline + 1
        }
        partial.removeFirst(start)
        if partial.count > Self.maxLineBytes {
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

    /// The next line, or the error that ended the stream, or `MailError.timedOut` after `timeout`.
    func next(on loop: any EventLoop, timeout: TimeAmount) -> EventLoopFuture<String> {
        if let line = lines.popFirst() { return loop.makeSucceededFuture(line) }
        if let ended { return loop.makeFailedFuture(ended) }
        let promise = loop.makePromise(of: String.self)
        let timer = loop.assumeIsolated().scheduleTask(in: timeout) {
            self.waiting = nil
            promise.fail(MailError.timedOut)
        }
        waiting = (promise, timer)
        return promise.futureResult
    }

    /// Succeeds once a TLS handshake has completed; fails with what ended the stream, or after `timeout`.
    func handshake(on loop: any EventLoop, timeout: TimeAmount) -> EventLoopFuture<Void> {
        if handshaken { return loop.makeSucceededVoidFuture() }
        if let ended { return loop.makeFailedFuture(ended) }
        let promise = loop.makePromise(of: Void.self)
        let timer = loop.assumeIsolated().scheduleTask(in: timeout) {
            self.waitingForTLS = nil
            promise.fail(MailError.timedOut)
        }
        waitingForTLS = (promise, timer)
        return promise.futureResult
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
        guard let (promise, timer) = waiting else { return }
        if let line = lines.popFirst() {
            waiting = nil
            timer.cancel()
            promise.succeed(line)
        } else if let ended {
            waiting = nil
            timer.cancel()
            promise.fail(ended)
        }
    }
}

/// How a conversation with a mail server broke off, apart from NIO's and TLS's own errors.
enum MailError: Error, Equatable {
    case timedOut
    case closed
    case lineTooLong
    /// The server sent something this protocol does not allow at this point.
    case unexpected(String)
}
