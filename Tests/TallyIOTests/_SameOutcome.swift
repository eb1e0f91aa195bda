import Testing

@testable import TallyIO

/// Expects two ways of reading the same input to agree: both succeed and `same` checks the results,
/// or both fail with the same message.
func expectSameOutcome<T, U>(
  _ a: Result<T, InputError>, _ b: Result<U, InputError>, sourceLocation: SourceLocation, _ same: (T, U) -> Void
) {
  switch (a, b) {
  case (.success(let x), .success(let y)):
    same(x, y)
  case (.failure(let x), .failure(let y)):
    #expect(x.description == y.description, sourceLocation: sourceLocation)
  default:
    Issue.record("one way failed, the other did not: \(a) vs \(b)", sourceLocation: sourceLocation)
  }
}
