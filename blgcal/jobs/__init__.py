"""Long work off the request path: the queue (Huey) and what a worker does with a job."""
