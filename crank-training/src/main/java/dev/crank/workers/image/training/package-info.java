/** Offline tools that paint the synthetic training images and train and evaluate the image model; not used at serving time. */
package dev.crank.workers.image.training;
