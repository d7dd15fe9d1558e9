/** greet:hello_world: the smallest worker, with typed (record-bound) input and output. */
package dev.crank.workers.helloworld;
