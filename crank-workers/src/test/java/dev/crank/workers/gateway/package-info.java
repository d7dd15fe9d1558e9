/** Tests of the controller as a gateway in front of real workers. */
package dev.crank.workers.gateway;
