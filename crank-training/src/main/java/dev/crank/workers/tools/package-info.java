/** Helpers of the project's command-line jobs (training, evaluations, benchmarks): progress lines on the terminal. */
package dev.crank.workers.tools;
