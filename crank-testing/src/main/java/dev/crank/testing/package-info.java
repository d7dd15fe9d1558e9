/**
 * The Crank test kit, real mutual TLS throughout: {@link dev.crank.testing.CrankWorkerExtension} (one worker,
 * optionally with a controller), {@link dev.crank.testing.CrankPlatform} (a controller and many workers),
 * {@link dev.crank.testing.ScriptedController} (a controller that answers what the test enqueued and records
 * what the worker sent), {@link dev.crank.testing.CrankAssertions} ({@code assertThat(response).isProblem(400,
 * "INVALID_INPUT")}), {@link dev.crank.testing.MutableClock} and {@link dev.crank.testing.Await}.
 */
package dev.crank.testing;
