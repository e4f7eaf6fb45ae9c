"""How credit flows: through depth (vanishing and exploding gradients) and across a population of units.

* ``depth``       measure signal variance and gradient size layer by layer in a deep MLP
* ``mean_field``  predict them: the variance map q -> sigma_w**2 E[phi(h)**2] and the gradient factor chi
* ``isometry``    the input-output Jacobian of a deep net and its singular values
* ``population``  tuning curves, Poisson spike counts and Fisher information
* ``decoders``    population-vector and maximum-likelihood decoders
* ``credit``      a network whose hidden layer is a population code, and the credit each unit receives
"""
