/** classify:image_category: document, diagram, chart, screenshot, photo or blank, on CPU or a micro-batched GPU. */
package dev.crank.workers.image;
