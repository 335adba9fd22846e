"""Tables → tables over the whole corpus: indicators, the network, evaluation against annotations, the development set."""
