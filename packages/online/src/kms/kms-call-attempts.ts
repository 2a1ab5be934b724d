/**
 * Attempts of one KMS call, throttled or unanswered, before the command gives up; ImportKeyMaterial
 * counts its attempts the same way.
 *
 * Chosen for the fault rate the simulator is run at in tests and benches (30%: throttle=0.2,
 * internal=0.05, reset=0.05). A call fails there only when every attempt draws a fault: 0.3^20 is
 * about 3.5e-11 per call, so a 10,000-key run (about 65,000 calls, counted in a request log) gives
 * up once in about 440,000 runs. At 12 attempts (5.3e-7 per call) a 1,000-key run gave up about
 * once in 300.
 * The backoffs between 20 attempts add up to at most about 30 s (about 70 s for
 * ImportKeyMaterial, whose backoff is capped at 5 s, not 2): sustained throttling still ends the
 * command with its error instead of a hang.
 */
export const KMS_CALL_ATTEMPTS = 20;
