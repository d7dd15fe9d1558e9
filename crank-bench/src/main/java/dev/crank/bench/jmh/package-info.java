/** JMH micro-benchmarks of the JSON and schema codecs. */
package dev.crank.bench.jmh;
