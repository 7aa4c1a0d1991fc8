import Foundation
import OnboardInput

/// What one request's answer means for its job and for the run.
public enum Outcome: Sendable, Equatable {
    /// 201: created; the id if the body carried one.
    case connected(accountId: String?)
    /// 400 "This SMTP mailbox already exists".
    case alreadyConnected
    /// Refused for a reason in the row (other 400s, 403, other 4xx): a person has to fix it.
    case rejected(reason: String)
    /// Worth another try later: 408, 5xx, connection errors, timeouts.
    case transient(reason: String)
    /// 429: every worker waits; the job goes back to the queue without spending an attempt.
    case throttled
    /// The whole run must stop: the key, the plan or the base URL is wrong.
    case stop(RunStop)
}

/// Why a run stopped before its queue was empty.
public enum RunStop: Error, Sendable, Equatable {
    case unauthorized(String)
    case paymentRequired(String)
    case wrongEndpoint(String)
}

extension RunStop: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case let .unauthorized(message):
            "lemlist refused the API key (401: \(message)); nothing more was sent and the remaining jobs are still pending."
        case let .paymentRequired(message):
            "lemlist says this key's plan does not include connecting email accounts (402: \(message)). The remaining jobs are still pending."
        case let .wrongEndpoint(detail):
            "the server does not look like lemlist's API (\(detail)); the remaining jobs are still pending."
        }
    }
}

extension Outcome {
    /// The connect route's answer as what it does to the job (see `AttemptDecision`).
    init(_ answer: RouteAnswer<ConnectAnswer>) {
        switch answer {
        case let .value(.created(accountId)): self = .connected(accountId: accountId)
        case .value(.alreadyExists): self = .alreadyConnected
        case let .refused(reason): self = .rejected(reason: reason)
        case let .transient(reason): self = .transient(reason: reason)
        case .throttled: self = .throttled
        case let .stop(stop): self = .stop(stop)
        }
    }
}

/// What the routes share about reading lemlist's answers.
public enum ResponseClassifier {
    public static let alreadyExists = "This SMTP mailbox already exists"

    /// The `id` of a created account, read without a full JSON decode so odd bodies still yield it when present.
    static func accountId(in body: String) -> String? {
        struct Created: Decodable { var id: String? }
        return (try? JSONDecoder().decode(Created.self, from: Data(body.utf8)))?.id
    }

    /// lemlist's error bodies are short plain text; keep the first line, bounded, as the message.
    static func summarize(_ body: String) -> String {
        let firstLine = body.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let text = firstLine.trimmingSpaces
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
